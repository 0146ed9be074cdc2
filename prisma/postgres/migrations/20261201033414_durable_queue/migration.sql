-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "deadAt" TIMESTAMP(3),
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Tracking" ADD COLUMN     "deadAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "TrackingMorePush" ADD COLUMN     "deadAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "FulfillmentEventRecord" ADD COLUMN     "deadAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "BackfillJob" ADD COLUMN     "deadAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_deadAt_idx" ON "WebhookDelivery"("shop", "deadAt");

-- CreateIndex
CREATE INDEX "Tracking_shop_deadAt_idx" ON "Tracking"("shop", "deadAt");
