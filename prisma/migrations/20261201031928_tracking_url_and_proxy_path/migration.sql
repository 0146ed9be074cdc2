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
    "trackingUrlInNotifications" BOOLEAN NOT NULL DEFAULT false,
    "trackingUrlSince" DATETIME,
    "proxyPathPrefix" TEXT NOT NULL DEFAULT '/apps/trackbridge',
    "proxyPathPublished" TEXT,
    "proxyPathNextAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ShopSettings" ("cancelledFulfillmentAction", "createOnFulfillment", "createdAt", "orderIdFormat", "shop", "titleTemplate", "trackingMoreAccountEmailCipher", "trackingMoreApiKeyCipher", "trackingMoreApiKeyHint", "updatedAt", "writeBackEnabled") SELECT "cancelledFulfillmentAction", "createOnFulfillment", "createdAt", "orderIdFormat", "shop", "titleTemplate", "trackingMoreAccountEmailCipher", "trackingMoreApiKeyCipher", "trackingMoreApiKeyHint", "updatedAt", "writeBackEnabled" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
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
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
