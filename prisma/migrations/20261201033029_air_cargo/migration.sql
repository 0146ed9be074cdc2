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
INSERT INTO "new_ShopSettings" ("cancelledFulfillmentAction", "createOnFulfillment", "createdAt", "orderIdFormat", "shop", "stalledAfterDays", "titleTemplate", "trackingMoreAccountEmailCipher", "trackingMoreApiKeyCipher", "trackingMoreApiKeyHint", "updatedAt", "writeBackEnabled") SELECT "cancelledFulfillmentAction", "createOnFulfillment", "createdAt", "orderIdFormat", "shop", "stalledAfterDays", "titleTemplate", "trackingMoreAccountEmailCipher", "trackingMoreApiKeyCipher", "trackingMoreApiKeyHint", "updatedAt", "writeBackEnabled" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AirCargoTrack_shop_idx" ON "AirCargoTrack"("shop");
