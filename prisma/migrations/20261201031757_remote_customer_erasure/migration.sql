-- CreateTable
CREATE TABLE "RemoteCustomerErasure" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "apiKeyCipher" TEXT NOT NULL,
    "trackings" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT
);

-- CreateIndex
CREATE INDEX "RemoteCustomerErasure_nextAttemptAt_idx" ON "RemoteCustomerErasure"("nextAttemptAt");
