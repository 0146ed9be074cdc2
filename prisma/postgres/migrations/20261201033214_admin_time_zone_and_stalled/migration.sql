-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "ianaTimezone" TEXT;

-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "stalledAfterDays" INTEGER NOT NULL DEFAULT 7;

-- CreateIndex
CREATE INDEX "Tracking_shop_status_lastEventAt_idx" ON "Tracking"("shop", "status", "lastEventAt");
