-- CreateTable
CREATE TABLE "RemoteCustomerErasure" (
    "id" TEXT NOT NULL,
    "apiKeyCipher" TEXT NOT NULL,
    "trackings" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,

    CONSTRAINT "RemoteCustomerErasure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RemoteCustomerErasure_nextAttemptAt_idx" ON "RemoteCustomerErasure"("nextAttemptAt");
