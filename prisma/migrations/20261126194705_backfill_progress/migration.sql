-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_BackfillJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "fromDate" DATETIME NOT NULL,
    "toDate" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "cursor" TEXT,
    "ordersSeen" INTEGER NOT NULL DEFAULT 0,
    "trackingsFound" INTEGER NOT NULL DEFAULT 0,
    "trackingsAdded" INTEGER NOT NULL DEFAULT 0,
    "ordersEstimated" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);
INSERT INTO "new_BackfillJob" ("createdAt", "cursor", "finishedAt", "fromDate", "id", "lastError", "leaseOwner", "leaseUntil", "ordersSeen", "shop", "state", "toDate", "trackingsAdded", "trackingsFound", "updatedAt") SELECT "createdAt", "cursor", "finishedAt", "fromDate", "id", "lastError", "leaseOwner", "leaseUntil", "ordersSeen", "shop", "state", "toDate", "trackingsAdded", "trackingsFound", "updatedAt" FROM "BackfillJob";
DROP TABLE "BackfillJob";
ALTER TABLE "new_BackfillJob" RENAME TO "BackfillJob";
CREATE INDEX "BackfillJob_shop_createdAt_idx" ON "BackfillJob"("shop", "createdAt");
CREATE INDEX "BackfillJob_state_idx" ON "BackfillJob"("state");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
