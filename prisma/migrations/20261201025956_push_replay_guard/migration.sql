-- CreateTable
CREATE TABLE "TrackingMorePushSeen" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "TrackingMorePushSeen_expiresAt_idx" ON "TrackingMorePushSeen"("expiresAt");
