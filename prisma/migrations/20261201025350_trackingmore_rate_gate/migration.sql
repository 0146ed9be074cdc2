-- CreateTable
CREATE TABLE "TrackingMoreAccountRate" (
    "account" TEXT NOT NULL PRIMARY KEY,
    "pausedUntilMs" BIGINT NOT NULL DEFAULT 0,
    "listSeq" INTEGER NOT NULL DEFAULT 0,
    "realtimeSeq" INTEGER NOT NULL DEFAULT 0,
    "defaultSeq" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "TrackingMoreRateSlot" (
    "account" TEXT NOT NULL,
    "rateClass" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "atMs" BIGINT NOT NULL,
    "settled" BOOLEAN NOT NULL,
    "grant" TEXT NOT NULL,

    PRIMARY KEY ("account", "rateClass", "slot")
);
