-- CreateIndex
CREATE INDEX "FulfillmentEventRecord_shop_deadAt_idx" ON "FulfillmentEventRecord"("shop", "deadAt");

-- CreateIndex
CREATE INDEX "BackfillJob_shop_deadAt_idx" ON "BackfillJob"("shop", "deadAt");

-- Hand-written (a Prisma schema for both databases cannot express it): the list's customer-name
-- search index, read by app/models/admin/name-search.server.ts — pg_trgm trigrams serve
-- ILIKE '%…%'. An index: every write keeps it in step, whichever code makes it. pg_trgm ships
-- with PostgreSQL and is a trusted extension (13+): the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Tracking_customerName_trgm_idx" ON "Tracking" USING GIN ("customerName" gin_trgm_ops);
