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

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CarrierDailyStats" (
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
INSERT INTO "new_CarrierDailyStats" ("carrierCode", "day", "delivered", "deliveredWithEdd", "deliveredWithinEdd", "destinationCountry", "exceptions", "failedAttempts", "originCountry", "parcels", "shop") SELECT "carrierCode", "day", "delivered", "deliveredWithEdd", "deliveredWithinEdd", "destinationCountry", "exceptions", "failedAttempts", "originCountry", "parcels", "shop" FROM "CarrierDailyStats";
DROP TABLE "CarrierDailyStats";
ALTER TABLE "new_CarrierDailyStats" RENAME TO "CarrierDailyStats";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
