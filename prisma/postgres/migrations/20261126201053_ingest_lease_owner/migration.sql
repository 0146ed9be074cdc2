-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "leaseOwner" TEXT;
