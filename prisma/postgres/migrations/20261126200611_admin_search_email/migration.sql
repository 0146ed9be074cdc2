-- CreateIndex
CREATE INDEX "Tracking_shop_customerEmail_idx" ON "Tracking"("shop", "customerEmail");
