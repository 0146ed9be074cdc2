-- AlterTable
ALTER TABLE "Tracking" ADD COLUMN "destinationPostcode" TEXT;
ALTER TABLE "Tracking" ADD COLUMN "originCountry" TEXT;

-- CreateTable
CREATE TABLE "DeliveryPromise" (
    "trackingId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL,
    "originCountry" TEXT NOT NULL DEFAULT '',
    "destinationCountry" TEXT NOT NULL DEFAULT '',
    "shipDay" TEXT NOT NULL,
    "shippedAt" DATETIME NOT NULL,
    "deliveredAt" DATETIME,
    "deliveryDays" INTEGER,
    "status" TEXT NOT NULL,
    "hadException" BOOLEAN NOT NULL DEFAULT false,
    "hadFailedAttempt" BOOLEAN NOT NULL DEFAULT false,
    "eddEarliestAt" DATETIME,
    "eddLatestAt" DATETIME,
    "eddConfidence" INTEGER,
    "eddSource" TEXT,
    "eddShopDeliveries" INTEGER NOT NULL DEFAULT 0,
    "eddCarrierDeliveries" INTEGER NOT NULL DEFAULT 0,
    "remoteArea" BOOLEAN,
    "remoteCheckedAt" DATETIME,
    "trackingUpdatedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DeliveryPromise_trackingId_fkey" FOREIGN KEY ("trackingId") REFERENCES "Tracking" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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

    PRIMARY KEY ("shop", "day", "carrierCode", "originCountry", "destinationCountry")
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

    PRIMARY KEY ("shop", "day", "carrierCode", "originCountry", "destinationCountry", "days")
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
    "fetchedAt" DATETIME,
    "nextFetchAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,

    PRIMARY KEY ("carrierCode", "originCountry", "destinationCountry")
);

-- CreateTable
CREATE TABLE "JobCursor" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "afterId" TEXT NOT NULL DEFAULT '',
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AirCargoTrack" (
    "trackingId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "awb" TEXT NOT NULL,
    "origin" TEXT,
    "destination" TEXT,
    "events" TEXT NOT NULL,
    "fetchedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ShopSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "trackingMoreApiKeyCipher" TEXT,
    "trackingMoreApiKeyHint" TEXT,
    "trackingMoreAccountEmailCipher" TEXT,
    "createOnFulfillment" BOOLEAN NOT NULL DEFAULT true,
    "orderIdFormat" TEXT NOT NULL DEFAULT 'name',
    "titleTemplate" TEXT NOT NULL DEFAULT '{{first_item}}{{more_items}}',
    "cancelledFulfillmentAction" TEXT NOT NULL DEFAULT 'archive',
    "writeBackEnabled" BOOLEAN NOT NULL DEFAULT true,
    "stalledAfterDays" INTEGER NOT NULL DEFAULT 5,
    "airCargoEnabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ShopSettings" ("cancelledFulfillmentAction", "createOnFulfillment", "createdAt", "orderIdFormat", "shop", "titleTemplate", "trackingMoreAccountEmailCipher", "trackingMoreApiKeyCipher", "trackingMoreApiKeyHint", "updatedAt", "writeBackEnabled") SELECT "cancelledFulfillmentAction", "createOnFulfillment", "createdAt", "orderIdFormat", "shop", "titleTemplate", "trackingMoreAccountEmailCipher", "trackingMoreApiKeyCipher", "trackingMoreApiKeyHint", "updatedAt", "writeBackEnabled" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "DeliveryPromise_shop_shipDay_idx" ON "DeliveryPromise"("shop", "shipDay");

-- CreateIndex
CREATE INDEX "DeliveryPromise_remoteCheckedAt_carrierCode_idx" ON "DeliveryPromise"("remoteCheckedAt", "carrierCode");

-- CreateIndex
CREATE INDEX "DeliveryPromise_shop_carrierCode_originCountry_destinationCountry_deliveredAt_idx" ON "DeliveryPromise"("shop", "carrierCode", "originCountry", "destinationCountry", "deliveredAt");

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
