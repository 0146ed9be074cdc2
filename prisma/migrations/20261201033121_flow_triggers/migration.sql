-- AlterTable
ALTER TABLE "Tracking" ADD COLUMN "flowStalledFor" DATETIME;
ALTER TABLE "Tracking" ADD COLUMN "flowStatusSeen" TEXT;

-- CreateTable
CREATE TABLE "FlowTriggerSubscription" (
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "since" DATETIME NOT NULL,
    "reportedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "handle")
);

-- CreateTable
CREATE TABLE "FlowTriggerEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "FlowTriggerEvent_state_nextAttemptAt_idx" ON "FlowTriggerEvent"("state", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "FlowTriggerEvent_shop_handle_eventKey_key" ON "FlowTriggerEvent"("shop", "handle", "eventKey");
