-- AlterTable
ALTER TABLE "Tracking" ADD COLUMN "deadAt" DATETIME;

-- AlterTable
ALTER TABLE "TrackingMorePush" ADD COLUMN "deadAt" DATETIME;

-- AlterTable
ALTER TABLE "FulfillmentEventRecord" ADD COLUMN "deadAt" DATETIME;

-- AlterTable
ALTER TABLE "BackfillJob" ADD COLUMN "deadAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Tracking_shop_deadAt_idx" ON "Tracking"("shop", "deadAt");
