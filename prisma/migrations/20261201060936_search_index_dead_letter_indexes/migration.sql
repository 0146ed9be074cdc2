-- CreateIndex
CREATE INDEX "FulfillmentEventRecord_shop_deadAt_idx" ON "FulfillmentEventRecord"("shop", "deadAt");

-- CreateIndex
CREATE INDEX "BackfillJob_shop_deadAt_idx" ON "BackfillJob"("shop", "deadAt");

-- Hand-written (a Prisma schema cannot express it): the list's customer-name search index,
-- read by app/models/admin/name-search.server.ts. FTS5 trigrams (substring matches, Unicode
-- case folding) over "Tracking"."customerName", with the table itself as content (the index
-- holds no copy of the names), keyed by the row's rowid. The triggers keep it in step with
-- every write, whichever code makes it (Prisma, the ingest's raw INSERTs, edits, redaction,
-- shop erasure). `secure-delete` removes a deleted or changed name's trigrams from the index
-- at once instead of leaving them behind a delete marker until the next merge: redacted
-- names leave the index with the write that redacts them.
CREATE VIRTUAL TABLE "TrackingNameSearch" USING fts5(
  "customerName", content = 'Tracking', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO "TrackingNameSearch"("TrackingNameSearch", rank) VALUES ('secure-delete', 1);
INSERT INTO "TrackingNameSearch"("TrackingNameSearch") VALUES ('rebuild');

CREATE TRIGGER "Tracking_name_search_insert" AFTER INSERT ON "Tracking"
WHEN new."customerName" IS NOT NULL BEGIN
  INSERT INTO "TrackingNameSearch"(rowid, "customerName") VALUES (new.rowid, new."customerName");
END;

CREATE TRIGGER "Tracking_name_search_delete" AFTER DELETE ON "Tracking"
WHEN old."customerName" IS NOT NULL BEGIN
  INSERT INTO "TrackingNameSearch"("TrackingNameSearch", rowid, "customerName")
  VALUES ('delete', old.rowid, old."customerName");
END;

CREATE TRIGGER "Tracking_name_search_update" AFTER UPDATE OF "customerName" ON "Tracking"
WHEN old."customerName" IS NOT new."customerName" BEGIN
  INSERT INTO "TrackingNameSearch"("TrackingNameSearch", rowid, "customerName")
  SELECT 'delete', old.rowid, old."customerName" WHERE old."customerName" IS NOT NULL;
  INSERT INTO "TrackingNameSearch"(rowid, "customerName")
  SELECT new.rowid, new."customerName" WHERE new."customerName" IS NOT NULL;
END;
