-- CreateTable
CREATE TABLE "TrackingMorePush" (
    "id" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL,
    "trackingNumber" TEXT NOT NULL,
    "shops" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "TrackingMorePush_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrackingMorePush_nextAttemptAt_idx" ON "TrackingMorePush"("nextAttemptAt");
