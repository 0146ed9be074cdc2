-- AlterTable
ALTER TABLE "Tracking" ADD COLUMN     "flowStalledFor" TIMESTAMP(3),
ADD COLUMN     "flowStatusSeen" TEXT;

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

-- CreateIndex
CREATE INDEX "FlowTriggerEvent_state_nextAttemptAt_idx" ON "FlowTriggerEvent"("state", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerEvent_shop_handle_eventKey_key" ON "FlowTriggerEvent"("shop", "handle", "eventKey");
