-- DropIndex
DROP INDEX "Tracking_shop_status_lastEventAt_idx";

-- CreateIndex
CREATE INDEX "Tracking_shop_lastEventAt_idx" ON "Tracking"("shop", "lastEventAt");
