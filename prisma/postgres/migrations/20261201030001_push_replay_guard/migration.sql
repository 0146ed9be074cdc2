-- CreateTable
CREATE TABLE "TrackingMorePushSeen" (
    "key" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrackingMorePushSeen_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "TrackingMorePushSeen_expiresAt_idx" ON "TrackingMorePushSeen"("expiresAt");
