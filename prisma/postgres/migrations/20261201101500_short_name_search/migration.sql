-- Hand-written (a Prisma schema cannot express it, and no semicolon in these comments: the
-- migration runner splits statements at every one): the customer-name search for queries of one
-- or two characters, which pg_trgm cannot serve (a pattern without a trigram reads the whole
-- index, and many Chinese names have two characters). Each name's characters and pairs of
-- characters, lower-cased, in a GIN index: `@>` finds the names holding the query's pair, read
-- by app/models/admin/name-search.server.ts. An index: every write keeps it in step,
-- whichever code makes it, and a redacted name leaves it with the write that redacts it.
CREATE FUNCTION "tracking_name_short_grams"(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT gram), '{}') FROM (
    SELECT substr(lower(name), i, 1) FROM generate_series(1, char_length(name)) AS i
    UNION ALL
    SELECT substr(lower(name), i, 2) FROM generate_series(1, char_length(name) - 1) AS i
  ) AS grams(gram)
$$;
CREATE INDEX "Tracking_customerName_short_idx" ON "Tracking" USING GIN ("tracking_name_short_grams"("customerName"));
