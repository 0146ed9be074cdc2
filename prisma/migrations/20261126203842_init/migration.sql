-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" DATETIME,
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN,
    "locale" TEXT,
    "collaborator" BOOLEAN,
    "emailVerified" BOOLEAN,
    "refreshToken" TEXT,
    "refreshTokenExpires" DATETIME
);

-- CreateTable
CREATE TABLE "Shop" (
    "domain" TEXT NOT NULL PRIMARY KEY,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "dispatchPausedReason" TEXT,
    "dispatchPausedUntil" DATETIME,
    "statusCursorAt" DATETIME,
    "statusPolledAt" DATETIME,
    "writeBackPausedUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "trackingMoreApiKeyCipher" TEXT,
    "trackingMoreApiKeyHint" TEXT,
    "trackingMoreAccountEmailCipher" TEXT,
    "createOnFulfillment" BOOLEAN NOT NULL DEFAULT true,
    "orderIdFormat" TEXT NOT NULL DEFAULT 'name',
    "titleTemplate" TEXT NOT NULL DEFAULT '{{first_item}}{{more_items}}',
    "cancelledFulfillmentAction" TEXT NOT NULL DEFAULT 'archive',
    "writeBackEnabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CarrierOverride" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "trackingCompany" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CarrierDetectionCache" (
    "shape" TEXT NOT NULL PRIMARY KEY,
    "carrierCode" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
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
    "outcome" TEXT
);

-- CreateTable
CREATE TABLE "Fulfillment" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Tracking" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "fulfillmentId" TEXT,
    "trackingNumber" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL DEFAULT '',
    "carrierSource" TEXT,
    "trackingCompany" TEXT,
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
    "statusUpdatedAt" DATETIME,
    "carrierStatus" TEXT,
    "milestones" TEXT,
    "remoteUpdatedAt" DATETIME,
    "writeBackError" TEXT,
    "syncState" TEXT NOT NULL DEFAULT 'pending',
    "pendingChanges" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "syncedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TrackingMorePush" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "carrierCode" TEXT NOT NULL,
    "trackingNumber" TEXT NOT NULL,
    "shops" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "lastError" TEXT
);

-- CreateTable
CREATE TABLE "FulfillmentEventRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "fulfillmentId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "happenedAt" DATETIME NOT NULL,
    "message" TEXT,
    "city" TEXT,
    "province" TEXT,
    "country" TEXT,
    "zip" TEXT,
    "estimatedDeliveryAt" DATETIME,
    "trackingNumber" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "shopifyEventId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "CustomerDataReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "dataRequestId" TEXT,
    "customerId" TEXT,
    "customerEmail" TEXT,
    "report" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "BackfillJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "fromDate" DATETIME NOT NULL,
    "toDate" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "cursor" TEXT,
    "ordersSeen" INTEGER NOT NULL DEFAULT 0,
    "trackingsFound" INTEGER NOT NULL DEFAULT 0,
    "trackingsAdded" INTEGER NOT NULL DEFAULT 0,
    "ordersEstimated" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "CarrierOverride_shop_trackingCompany_key" ON "CarrierOverride"("shop", "trackingCompany");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_receivedAt_idx" ON "WebhookDelivery"("shop", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_processedAt_receivedAt_idx" ON "WebhookDelivery"("processedAt", "receivedAt");

-- CreateIndex
CREATE INDEX "Fulfillment_shop_createdAt_idx" ON "Fulfillment"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Fulfillment_shop_fulfillmentId_key" ON "Fulfillment"("shop", "fulfillmentId");

-- CreateIndex
CREATE INDEX "Tracking_shop_createdAt_idx" ON "Tracking"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "Tracking_shop_status_createdAt_idx" ON "Tracking"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Tracking_shop_syncState_idx" ON "Tracking"("shop", "syncState");

-- CreateIndex
CREATE INDEX "Tracking_shop_trackingNumber_idx" ON "Tracking"("shop", "trackingNumber");

-- CreateIndex
CREATE INDEX "Tracking_shop_orderName_idx" ON "Tracking"("shop", "orderName");

-- CreateIndex
CREATE INDEX "Tracking_shop_customerEmail_idx" ON "Tracking"("shop", "customerEmail");

-- CreateIndex
CREATE INDEX "Tracking_shop_fulfillmentId_idx" ON "Tracking"("shop", "fulfillmentId");

-- CreateIndex
CREATE INDEX "Tracking_syncState_nextAttemptAt_idx" ON "Tracking"("syncState", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Tracking_trackingNumber_carrierCode_idx" ON "Tracking"("trackingNumber", "carrierCode");

-- CreateIndex
CREATE UNIQUE INDEX "Tracking_shop_carrierCode_trackingNumber_key" ON "Tracking"("shop", "carrierCode", "trackingNumber");

-- CreateIndex
CREATE INDEX "TrackingMorePush_nextAttemptAt_idx" ON "TrackingMorePush"("nextAttemptAt");

-- CreateIndex
CREATE INDEX "FulfillmentEventRecord_state_nextAttemptAt_idx" ON "FulfillmentEventRecord"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "FulfillmentEventRecord_shop_fulfillmentId_happenedAt_idx" ON "FulfillmentEventRecord"("shop", "fulfillmentId", "happenedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FulfillmentEventRecord_shop_fulfillmentId_status_key" ON "FulfillmentEventRecord"("shop", "fulfillmentId", "status");

-- CreateIndex
CREATE INDEX "CustomerDataReport_shop_createdAt_idx" ON "CustomerDataReport"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "BackfillJob_shop_createdAt_idx" ON "BackfillJob"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "BackfillJob_state_idx" ON "BackfillJob"("state");
