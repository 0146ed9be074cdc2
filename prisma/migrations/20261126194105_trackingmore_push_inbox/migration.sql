-- CreateTable
CREATE TABLE "TrackingMorePush" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "carrierCode" TEXT NOT NULL,
    "trackingNumber" TEXT NOT NULL,
    "shops" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "lastError" TEXT
);

-- CreateIndex
CREATE INDEX "TrackingMorePush_nextAttemptAt_idx" ON "TrackingMorePush"("nextAttemptAt");
