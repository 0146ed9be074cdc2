-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "airCargoEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "stalledAfterDays" INTEGER NOT NULL DEFAULT 5;

-- AlterTable
ALTER TABLE "Tracking" ADD COLUMN     "destinationPostcode" TEXT,
ADD COLUMN     "originCountry" TEXT;

-- CreateTable
CREATE TABLE "DeliveryPromise" (
    "trackingId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL,
    "originCountry" TEXT NOT NULL DEFAULT '',
    "destinationCountry" TEXT NOT NULL DEFAULT '',
    "shipDay" TEXT NOT NULL,
    "shippedAt" TIMESTAMP(3) NOT NULL,
    "deliveredAt" TIMESTAMP(3),
    "deliveryDays" INTEGER,
    "status" TEXT NOT NULL,
    "hadException" BOOLEAN NOT NULL DEFAULT false,
    "hadFailedAttempt" BOOLEAN NOT NULL DEFAULT false,
    "eddEarliestAt" TIMESTAMP(3),
    "eddLatestAt" TIMESTAMP(3),
    "eddConfidence" INTEGER,
    "eddSource" TEXT,
    "eddShopDeliveries" INTEGER NOT NULL DEFAULT 0,
    "eddCarrierDeliveries" INTEGER NOT NULL DEFAULT 0,
    "remoteArea" BOOLEAN,
    "remoteCheckedAt" TIMESTAMP(3),
    "trackingUpdatedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DeliveryPromise_pkey" PRIMARY KEY ("trackingId")
);

-- CreateTable
CREATE TABLE "CarrierDailyStats" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL,
    "originCountry" TEXT NOT NULL,
    "destinationCountry" TEXT NOT NULL,
    "parcels" INTEGER NOT NULL,
    "delivered" INTEGER NOT NULL,
    "deliveredWithEdd" INTEGER NOT NULL,
    "deliveredWithinEdd" INTEGER NOT NULL,
    "exceptions" INTEGER NOT NULL,
    "failedAttempts" INTEGER NOT NULL,

    CONSTRAINT "CarrierDailyStats_pkey" PRIMARY KEY ("shop","day","carrierCode","originCountry","destinationCountry")
);

-- CreateTable
CREATE TABLE "CarrierDailyDays" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL,
    "originCountry" TEXT NOT NULL,
    "destinationCountry" TEXT NOT NULL,
    "days" INTEGER NOT NULL,
    "parcels" INTEGER NOT NULL,

    CONSTRAINT "CarrierDailyDays_pkey" PRIMARY KEY ("shop","day","carrierCode","originCountry","destinationCountry","days")
);

-- CreateTable
CREATE TABLE "TransitTimeStats" (
    "carrierCode" TEXT NOT NULL,
    "originCountry" TEXT NOT NULL,
    "destinationCountry" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "ranges" TEXT,
    "fetchedAt" TIMESTAMP(3),
    "nextFetchAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,

    CONSTRAINT "TransitTimeStats_pkey" PRIMARY KEY ("carrierCode","originCountry","destinationCountry")
);

-- CreateTable
CREATE TABLE "JobCursor" (
    "name" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "afterId" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobCursor_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "AirCargoTrack" (
    "trackingId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "awb" TEXT NOT NULL,
    "origin" TEXT,
    "destination" TEXT,
    "events" TEXT NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AirCargoTrack_pkey" PRIMARY KEY ("trackingId")
);

-- CreateIndex
CREATE INDEX "DeliveryPromise_shop_shipDay_idx" ON "DeliveryPromise"("shop", "shipDay");

-- CreateIndex
CREATE INDEX "DeliveryPromise_remoteCheckedAt_carrierCode_idx" ON "DeliveryPromise"("remoteCheckedAt", "carrierCode");

-- CreateIndex
CREATE INDEX "DeliveryPromise_shop_carrierCode_originCountry_destinationC_idx" ON "DeliveryPromise"("shop", "carrierCode", "originCountry", "destinationCountry", "deliveredAt");

-- CreateIndex
CREATE INDEX "TransitTimeStats_nextFetchAt_idx" ON "TransitTimeStats"("nextFetchAt");

-- CreateIndex
CREATE INDEX "AirCargoTrack_shop_idx" ON "AirCargoTrack"("shop");

-- CreateIndex
CREATE INDEX "Tracking_shop_estimatedDeliveryAt_idx" ON "Tracking"("shop", "estimatedDeliveryAt");

-- CreateIndex
CREATE INDEX "Tracking_shop_lastEventAt_idx" ON "Tracking"("shop", "lastEventAt");

-- CreateIndex
CREATE INDEX "Tracking_updatedAt_idx" ON "Tracking"("updatedAt");

-- AddForeignKey
ALTER TABLE "DeliveryPromise" ADD CONSTRAINT "DeliveryPromise_trackingId_fkey" FOREIGN KEY ("trackingId") REFERENCES "Tracking"("id") ON DELETE CASCADE ON UPDATE CASCADE;
