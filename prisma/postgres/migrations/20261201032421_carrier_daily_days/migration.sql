-- AlterTable
ALTER TABLE "CarrierDailyStats" DROP COLUMN "deliveryDays";

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
