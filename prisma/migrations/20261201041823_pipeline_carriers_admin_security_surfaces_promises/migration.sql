-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "countryCode" TEXT;
ALTER TABLE "Shop" ADD COLUMN "ianaTimezone" TEXT;

-- AlterTable
ALTER TABLE "CarrierDetectionCache" ADD COLUMN "candidates" TEXT;

-- AlterTable
ALTER TABLE "TrackingMorePush" ADD COLUMN "deadAt" DATETIME;

-- AlterTable
ALTER TABLE "FulfillmentEventRecord" ADD COLUMN "deadAt" DATETIME;

-- AlterTable
ALTER TABLE "BackfillJob" ADD COLUMN "deadAt" DATETIME;

-- CreateTable
CREATE TABLE "CarrierListCache" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "carriers" TEXT,
    "fetchedAt" DATETIME,
    "attemptedAt" DATETIME,
    "lastError" TEXT
);

-- CreateTable
CREATE TABLE "CarrierSwitch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "trackingId" TEXT NOT NULL,
    "fromCarrier" TEXT NOT NULL,
    "toCarrier" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "TrackingMorePushSeen" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RemoteCustomerErasure" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "apiKeyCipher" TEXT NOT NULL,
    "trackings" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT
);

-- CreateTable
CREATE TABLE "TrackingMoreAccountRate" (
    "account" TEXT NOT NULL PRIMARY KEY,
    "pausedUntilMs" BIGINT NOT NULL DEFAULT 0,
    "listSeq" INTEGER NOT NULL DEFAULT 0,
    "realtimeSeq" INTEGER NOT NULL DEFAULT 0,
    "defaultSeq" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "TrackingMoreRateSlot" (
    "account" TEXT NOT NULL,
    "rateClass" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "atMs" BIGINT NOT NULL,
    "settled" BOOLEAN NOT NULL,
    "grant" TEXT NOT NULL,

    PRIMARY KEY ("account", "rateClass", "slot")
);

-- CreateTable
CREATE TABLE "FlowTriggerSubscription" (
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "since" DATETIME NOT NULL,
    "reportedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "handle")
);

-- CreateTable
CREATE TABLE "FlowTriggerEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

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
    "carrierRecheckDays" INTEGER NOT NULL DEFAULT 3,
    "stalledAfterDays" INTEGER NOT NULL DEFAULT 7,
    "trackingUrlInNotifications" BOOLEAN NOT NULL DEFAULT false,
    "trackingUrlSince" DATETIME,
    "proxyPathPrefix" TEXT NOT NULL DEFAULT '/apps/trackbridge',
    "proxyPathPublished" TEXT,
    "proxyPathNextAt" DATETIME,
    "airCargoEnabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ShopSettings" ("cancelledFulfillmentAction", "createOnFulfillment", "createdAt", "orderIdFormat", "shop", "titleTemplate", "trackingMoreAccountEmailCipher", "trackingMoreApiKeyCipher", "trackingMoreApiKeyHint", "updatedAt", "writeBackEnabled") SELECT "cancelledFulfillmentAction", "createOnFulfillment", "createdAt", "orderIdFormat", "shop", "titleTemplate", "trackingMoreAccountEmailCipher", "trackingMoreApiKeyCipher", "trackingMoreApiKeyHint", "updatedAt", "writeBackEnabled" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
CREATE TABLE "new_CarrierOverride" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "trackingCompany" TEXT NOT NULL,
    "country" TEXT NOT NULL DEFAULT '',
    "carrierCode" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_CarrierOverride" ("carrierCode", "createdAt", "id", "shop", "trackingCompany") SELECT "carrierCode", "createdAt", "id", "shop", "trackingCompany" FROM "CarrierOverride";
DROP TABLE "CarrierOverride";
ALTER TABLE "new_CarrierOverride" RENAME TO "CarrierOverride";
CREATE UNIQUE INDEX "CarrierOverride_shop_trackingCompany_country_key" ON "CarrierOverride"("shop", "trackingCompany", "country");
CREATE TABLE "new_WebhookDelivery" (
    "webhookId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT,
    "triggeredAt" DATETIME,
    "payload" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "outcome" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT,
    "deadAt" DATETIME
);
INSERT INTO "new_WebhookDelivery" ("eventId", "leaseOwner", "leaseUntil", "outcome", "payload", "processedAt", "receivedAt", "shop", "topic", "triggeredAt", "webhookId") SELECT "eventId", "leaseOwner", "leaseUntil", "outcome", "payload", "processedAt", "receivedAt", "shop", "topic", "triggeredAt", "webhookId" FROM "WebhookDelivery";
DROP TABLE "WebhookDelivery";
ALTER TABLE "new_WebhookDelivery" RENAME TO "WebhookDelivery";
CREATE INDEX "WebhookDelivery_shop_receivedAt_idx" ON "WebhookDelivery"("shop", "receivedAt");
CREATE INDEX "WebhookDelivery_processedAt_receivedAt_idx" ON "WebhookDelivery"("processedAt", "receivedAt");
CREATE INDEX "WebhookDelivery_shop_deadAt_idx" ON "WebhookDelivery"("shop", "deadAt");
CREATE TABLE "new_Fulfillment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "fulfillmentId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "shopifyStatus" TEXT,
    "shopifyUpdatedAt" DATETIME,
    "trackingCompany" TEXT,
    "trackingNumbers" TEXT NOT NULL DEFAULT '[]',
    "note" TEXT,
    "trackingUrlState" TEXT,
    "trackingUrlAttempts" INTEGER NOT NULL DEFAULT 0,
    "trackingUrlNextAt" DATETIME,
    "trackingUrlError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Fulfillment" ("createdAt", "fulfillmentId", "id", "note", "orderId", "orderName", "shop", "shopifyStatus", "shopifyUpdatedAt", "trackingCompany", "trackingNumbers", "updatedAt") SELECT "createdAt", "fulfillmentId", "id", "note", "orderId", "orderName", "shop", "shopifyStatus", "shopifyUpdatedAt", "trackingCompany", "trackingNumbers", "updatedAt" FROM "Fulfillment";
DROP TABLE "Fulfillment";
ALTER TABLE "new_Fulfillment" RENAME TO "Fulfillment";
CREATE INDEX "Fulfillment_shop_trackingUrlState_createdAt_idx" ON "Fulfillment"("shop", "trackingUrlState", "createdAt");
CREATE INDEX "Fulfillment_shop_createdAt_idx" ON "Fulfillment"("shop", "createdAt");
CREATE UNIQUE INDEX "Fulfillment_shop_fulfillmentId_key" ON "Fulfillment"("shop", "fulfillmentId");
CREATE TABLE "new_Tracking" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "fulfillmentId" TEXT,
    "trackingNumber" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL DEFAULT '',
    "carrierSource" TEXT,
    "trackingCompany" TEXT,
    "originCountry" TEXT,
    "carrierSwitches" INTEGER NOT NULL DEFAULT 0,
    "carrierCheckedAt" DATETIME,
    "trackingMoreId" TEXT,
    "title" TEXT,
    "tmOrderId" TEXT,
    "customerName" TEXT,
    "customerEmail" TEXT,
    "customerPhone" TEXT,
    "destinationCode" TEXT,
    "logisticsChannel" TEXT,
    "orderCreatedAt" DATETIME,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "substatus" TEXT,
    "manualStatus" INTEGER,
    "lastEvent" TEXT,
    "lastEventAt" DATETIME,
    "checkpoints" TEXT,
    "transitDays" INTEGER,
    "estimatedDeliveryAt" DATETIME,
    "destinationPostcode" TEXT,
    "statusUpdatedAt" DATETIME,
    "carrierStatus" TEXT,
    "milestones" TEXT,
    "remoteUpdatedAt" DATETIME,
    "writeBackError" TEXT,
    "flowStatusSeen" TEXT,
    "flowStalledFor" DATETIME,
    "syncState" TEXT NOT NULL DEFAULT 'pending',
    "pendingChanges" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "deadAt" DATETIME,
    "syncedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Tracking" ("archived", "attempts", "carrierCode", "carrierSource", "carrierStatus", "checkpoints", "createdAt", "customerEmail", "customerName", "customerPhone", "destinationCode", "estimatedDeliveryAt", "fulfillmentId", "id", "lastError", "lastEvent", "lastEventAt", "leaseOwner", "leaseUntil", "logisticsChannel", "manualStatus", "milestones", "nextAttemptAt", "orderCreatedAt", "orderId", "orderName", "pendingChanges", "remoteUpdatedAt", "shop", "status", "statusUpdatedAt", "substatus", "syncState", "syncedAt", "title", "tmOrderId", "trackingCompany", "trackingMoreId", "trackingNumber", "transitDays", "updatedAt", "writeBackError") SELECT "archived", "attempts", "carrierCode", "carrierSource", "carrierStatus", "checkpoints", "createdAt", "customerEmail", "customerName", "customerPhone", "destinationCode", "estimatedDeliveryAt", "fulfillmentId", "id", "lastError", "lastEvent", "lastEventAt", "leaseOwner", "leaseUntil", "logisticsChannel", "manualStatus", "milestones", "nextAttemptAt", "orderCreatedAt", "orderId", "orderName", "pendingChanges", "remoteUpdatedAt", "shop", "status", "statusUpdatedAt", "substatus", "syncState", "syncedAt", "title", "tmOrderId", "trackingCompany", "trackingMoreId", "trackingNumber", "transitDays", "updatedAt", "writeBackError" FROM "Tracking";
DROP TABLE "Tracking";
ALTER TABLE "new_Tracking" RENAME TO "Tracking";
CREATE INDEX "Tracking_shop_createdAt_idx" ON "Tracking"("shop", "createdAt");
CREATE INDEX "Tracking_shop_status_createdAt_idx" ON "Tracking"("shop", "status", "createdAt");
CREATE INDEX "Tracking_shop_status_lastEventAt_idx" ON "Tracking"("shop", "status", "lastEventAt");
CREATE INDEX "Tracking_shop_syncState_idx" ON "Tracking"("shop", "syncState");
CREATE INDEX "Tracking_shop_trackingNumber_idx" ON "Tracking"("shop", "trackingNumber");
CREATE INDEX "Tracking_shop_orderName_idx" ON "Tracking"("shop", "orderName");
CREATE INDEX "Tracking_shop_customerEmail_idx" ON "Tracking"("shop", "customerEmail");
CREATE INDEX "Tracking_shop_fulfillmentId_idx" ON "Tracking"("shop", "fulfillmentId");
CREATE INDEX "Tracking_syncState_nextAttemptAt_idx" ON "Tracking"("syncState", "nextAttemptAt");
CREATE INDEX "Tracking_shop_deadAt_idx" ON "Tracking"("shop", "deadAt");
CREATE INDEX "Tracking_trackingNumber_carrierCode_idx" ON "Tracking"("trackingNumber", "carrierCode");
CREATE INDEX "Tracking_shop_estimatedDeliveryAt_idx" ON "Tracking"("shop", "estimatedDeliveryAt");
CREATE INDEX "Tracking_shop_lastEventAt_idx" ON "Tracking"("shop", "lastEventAt");
CREATE INDEX "Tracking_updatedAt_idx" ON "Tracking"("updatedAt");
CREATE UNIQUE INDEX "Tracking_shop_carrierCode_trackingNumber_key" ON "Tracking"("shop", "carrierCode", "trackingNumber");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "CarrierSwitch_shop_trackingId_createdAt_idx" ON "CarrierSwitch"("shop", "trackingId", "createdAt");

-- CreateIndex
CREATE INDEX "TrackingMorePushSeen_expiresAt_idx" ON "TrackingMorePushSeen"("expiresAt");

-- CreateIndex
CREATE INDEX "RemoteCustomerErasure_nextAttemptAt_idx" ON "RemoteCustomerErasure"("nextAttemptAt");

-- CreateIndex
CREATE INDEX "FlowTriggerEvent_state_nextAttemptAt_idx" ON "FlowTriggerEvent"("state", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerEvent_shop_handle_eventKey_key" ON "FlowTriggerEvent"("shop", "handle", "eventKey");

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
