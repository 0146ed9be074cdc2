-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
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
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "domain" TEXT NOT NULL,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "dispatchPausedReason" TEXT,
    "dispatchPausedUntil" TIMESTAMP(3),
    "statusCursorAt" TIMESTAMP(3),
    "statusPolledAt" TIMESTAMP(3),
    "writeBackPausedUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("domain")
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shop" TEXT NOT NULL,
    "trackingMoreApiKeyCipher" TEXT,
    "trackingMoreApiKeyHint" TEXT,
    "trackingMoreAccountEmailCipher" TEXT,
    "createOnFulfillment" BOOLEAN NOT NULL DEFAULT true,
    "orderIdFormat" TEXT NOT NULL DEFAULT 'name',
    "titleTemplate" TEXT NOT NULL DEFAULT '{{first_item}}{{more_items}}',
    "cancelledFulfillmentAction" TEXT NOT NULL DEFAULT 'archive',
    "writeBackEnabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "CarrierOverride" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "trackingCompany" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CarrierOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CarrierDetectionCache" (
    "shape" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CarrierDetectionCache_pkey" PRIMARY KEY ("shape")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "webhookId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "payload" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "outcome" TEXT,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("webhookId")
);

-- CreateTable
CREATE TABLE "Fulfillment" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "fulfillmentId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "shopifyStatus" TEXT,
    "shopifyUpdatedAt" TIMESTAMP(3),
    "trackingCompany" TEXT,
    "trackingNumbers" TEXT NOT NULL DEFAULT '[]',
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Fulfillment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tracking" (
    "id" TEXT NOT NULL,
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
    "orderCreatedAt" TIMESTAMP(3),
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "substatus" TEXT,
    "manualStatus" INTEGER,
    "lastEvent" TEXT,
    "lastEventAt" TIMESTAMP(3),
    "checkpoints" TEXT,
    "transitDays" INTEGER,
    "estimatedDeliveryAt" TIMESTAMP(3),
    "statusUpdatedAt" TIMESTAMP(3),
    "carrierStatus" TEXT,
    "milestones" TEXT,
    "remoteUpdatedAt" TIMESTAMP(3),
    "writeBackError" TEXT,
    "syncState" TEXT NOT NULL DEFAULT 'pending',
    "pendingChanges" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "syncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tracking_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingMorePush" (
    "id" TEXT NOT NULL,
    "carrierCode" TEXT NOT NULL,
    "trackingNumber" TEXT NOT NULL,
    "shops" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "TrackingMorePush_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FulfillmentEventRecord" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "fulfillmentId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "happenedAt" TIMESTAMP(3) NOT NULL,
    "message" TEXT,
    "city" TEXT,
    "province" TEXT,
    "country" TEXT,
    "zip" TEXT,
    "estimatedDeliveryAt" TIMESTAMP(3),
    "trackingNumber" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "shopifyEventId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "FulfillmentEventRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerDataReport" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "dataRequestId" TEXT,
    "customerId" TEXT,
    "customerEmail" TEXT,
    "report" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerDataReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackfillJob" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "fromDate" TIMESTAMP(3) NOT NULL,
    "toDate" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "cursor" TEXT,
    "ordersSeen" INTEGER NOT NULL DEFAULT 0,
    "trackingsFound" INTEGER NOT NULL DEFAULT 0,
    "trackingsAdded" INTEGER NOT NULL DEFAULT 0,
    "ordersEstimated" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BackfillJob_pkey" PRIMARY KEY ("id")
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
