-- AlterTable
ALTER TABLE "Tracking" ADD COLUMN "destinationPostcode" TEXT;

-- AlterTable
ALTER TABLE "DeliveryPromise" ADD COLUMN "remoteArea" BOOLEAN;
ALTER TABLE "DeliveryPromise" ADD COLUMN "remoteCheckedAt" DATETIME;

-- CreateIndex
CREATE INDEX "DeliveryPromise_remoteCheckedAt_carrierCode_idx" ON "DeliveryPromise"("remoteCheckedAt", "carrierCode");
