-- Hand-written (read with INDEXED BY, by app/models/admin/name-search.server.ts): the
-- customer-name search for queries of one or two characters, which have no trigram for the
-- FTS5 table (many Chinese names have two characters). A scan of the shop's (shop,
-- customerName) entries with LIKE reads the names alone, not the rows that hold them: a tenth
-- of the cost of reading the shop's rows. An index: every write keeps it in step, whichever
-- code makes it, and a redacted name leaves it with the write that redacts it.
CREATE INDEX "Tracking_customerName_short_idx" ON "Tracking"("shop", "customerName");
