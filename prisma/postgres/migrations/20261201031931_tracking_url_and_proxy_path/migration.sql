-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "proxyPathNextAt" TIMESTAMP(3),
ADD COLUMN     "proxyPathPrefix" TEXT NOT NULL DEFAULT '/apps/trackbridge',
ADD COLUMN     "proxyPathPublished" TEXT,
ADD COLUMN     "trackingUrlInNotifications" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "trackingUrlSince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Fulfillment" ADD COLUMN     "trackingUrlAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "trackingUrlError" TEXT,
ADD COLUMN     "trackingUrlNextAt" TIMESTAMP(3),
ADD COLUMN     "trackingUrlState" TEXT;

-- CreateIndex
CREATE INDEX "Fulfillment_shop_trackingUrlState_createdAt_idx" ON "Fulfillment"("shop", "trackingUrlState", "createdAt");
