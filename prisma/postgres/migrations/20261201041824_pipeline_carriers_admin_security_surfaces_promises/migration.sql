-- DropIndex
DROP INDEX "CarrierOverride_shop_trackingCompany_key";

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "countryCode" TEXT,
ADD COLUMN     "ianaTimezone" TEXT;

-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "airCargoEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "carrierRecheckDays" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "proxyPathNextAt" TIMESTAMP(3),
ADD COLUMN     "proxyPathPrefix" TEXT NOT NULL DEFAULT '/apps/trackbridge',
ADD COLUMN     "proxyPathPublished" TEXT,
ADD COLUMN     "stalledAfterDays" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "trackingUrlInNotifications" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "trackingUrlSince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "CarrierOverride" ADD COLUMN     "country" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "CarrierDetectionCache" ADD COLUMN     "candidates" TEXT;

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "deadAt" TIMESTAMP(3),
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Fulfillment" ADD COLUMN     "trackingUrlAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "trackingUrlError" TEXT,
ADD COLUMN     "trackingUrlNextAt" TIMESTAMP(3),
ADD COLUMN     "trackingUrlState" TEXT;

-- AlterTable
ALTER TABLE "Tracking" ADD COLUMN     "carrierCheckedAt" TIMESTAMP(3),
ADD COLUMN     "carrierSwitches" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "deadAt" TIMESTAMP(3),
ADD COLUMN     "destinationPostcode" TEXT,
ADD COLUMN     "flowStalledFor" TIMESTAMP(3),
ADD COLUMN     "flowStatusSeen" TEXT,
ADD COLUMN     "originCountry" TEXT;

-- AlterTable
ALTER TABLE "TrackingMorePush" ADD COLUMN     "deadAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "FulfillmentEventRecord" ADD COLUMN     "deadAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "BackfillJob" ADD COLUMN     "deadAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "CarrierListCache" (
    "shop" TEXT NOT NULL,
    "carriers" TEXT,
    "fetchedAt" TIMESTAMP(3),
    "attemptedAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "CarrierListCache_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "CarrierSwitch" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "trackingId" TEXT NOT NULL,
    "fromCarrier" TEXT NOT NULL,
    "toCarrier" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CarrierSwitch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingMorePushSeen" (
    "key" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrackingMorePushSeen_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "RemoteCustomerErasure" (
    "id" TEXT NOT NULL,
    "apiKeyCipher" TEXT NOT NULL,
    "trackings" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,

    CONSTRAINT "RemoteCustomerErasure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingMoreAccountRate" (
    "account" TEXT NOT NULL,
    "pausedUntilMs" BIGINT NOT NULL DEFAULT 0,
    "listSeq" INTEGER NOT NULL DEFAULT 0,
    "realtimeSeq" INTEGER NOT NULL DEFAULT 0,
    "defaultSeq" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "TrackingMoreAccountRate_pkey" PRIMARY KEY ("account")
);

-- CreateTable
CREATE TABLE "TrackingMoreRateSlot" (
    "account" TEXT NOT NULL,
    "rateClass" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "atMs" BIGINT NOT NULL,
    "settled" BOOLEAN NOT NULL,
    "grant" TEXT NOT NULL,

    CONSTRAINT "TrackingMoreRateSlot_pkey" PRIMARY KEY ("account","rateClass","slot")
);

-- CreateTable
CREATE TABLE "FlowTriggerSubscription" (
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "reportedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowTriggerSubscription_pkey" PRIMARY KEY ("shop","handle")
);

-- CreateTable
CREATE TABLE "FlowTriggerEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlowTriggerEvent_pkey" PRIMARY KEY ("id")
);

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
CREATE INDEX "DeliveryPromise_shop_carrierCode_originCountry_destinationC_idx" ON "DeliveryPromise"("shop", "carrierCode", "originCountry", "destinationCountry", "deliveredAt");

-- CreateIndex
CREATE INDEX "TransitTimeStats_nextFetchAt_idx" ON "TransitTimeStats"("nextFetchAt");

-- CreateIndex
CREATE INDEX "AirCargoTrack_shop_idx" ON "AirCargoTrack"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "CarrierOverride_shop_trackingCompany_country_key" ON "CarrierOverride"("shop", "trackingCompany", "country");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_deadAt_idx" ON "WebhookDelivery"("shop", "deadAt");

-- CreateIndex
CREATE INDEX "Fulfillment_shop_trackingUrlState_createdAt_idx" ON "Fulfillment"("shop", "trackingUrlState", "createdAt");

-- CreateIndex
CREATE INDEX "Tracking_shop_status_lastEventAt_idx" ON "Tracking"("shop", "status", "lastEventAt");

-- CreateIndex
CREATE INDEX "Tracking_shop_deadAt_idx" ON "Tracking"("shop", "deadAt");

-- CreateIndex
CREATE INDEX "Tracking_shop_estimatedDeliveryAt_idx" ON "Tracking"("shop", "estimatedDeliveryAt");

-- CreateIndex
CREATE INDEX "Tracking_shop_lastEventAt_idx" ON "Tracking"("shop", "lastEventAt");

-- CreateIndex
CREATE INDEX "Tracking_updatedAt_idx" ON "Tracking"("updatedAt");

-- AddForeignKey
ALTER TABLE "DeliveryPromise" ADD CONSTRAINT "DeliveryPromise_trackingId_fkey" FOREIGN KEY ("trackingId") REFERENCES "Tracking"("id") ON DELETE CASCADE ON UPDATE CASCADE;
