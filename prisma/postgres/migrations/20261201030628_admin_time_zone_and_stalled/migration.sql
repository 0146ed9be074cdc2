-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "ianaTimezone" TEXT;

-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "stalledAfterDays" INTEGER NOT NULL DEFAULT 7;
