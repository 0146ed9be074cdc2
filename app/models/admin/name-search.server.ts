import { appConfig } from "~/config.server";
import prisma, { type Prisma } from "~/db/client.server";

// The list's customer-name search. A name matches anywhere in it, which no B-tree serves: a
// trigram index does — on SQLite the FTS5 table "TrackingNameSearch" (tokenizer `trigram`), on
// PostgreSQL the pg_trgm GIN index "Tracking_customerName_trgm_idx". A query of one or two
// characters has no trigram; "Tracking_customerName_short_idx" serves it — on SQLite the
// shop's (shop, customerName) entries read with LIKE (the names alone, not their rows), on
// PostgreSQL a GIN index of each name's characters and pairs of characters. All of them follow
// every write of a name by themselves (SQLite: triggers on "Tracking" and the index;
// PostgreSQL: the indexes), whatever wrote it — Prisma, the ingest's raw INSERTs, a merchant's
// edit, a customers/redact blanking it — so a redacted name is no longer found. See the
// migrations named search_index_dead_letter_indexes and short_name_search.

/** Trigrams need three characters: shorter queries are read through the short-query index. */
const MIN_TRIGRAM_LENGTH = 3;

/**
 * With more matches than this in the shop, the list reads the shop's rows newest first instead:
 * a page of a common name is found after a few hundred rows, where fetching every match by id
 * and sorting them would cost more.
 */
export const NAME_MATCH_CAP = 500;

/**
 * The ids of the shop's trackings whose customer name contains `query` (case-insensitively;
 * beyond ASCII too from three characters, and on PostgreSQL always), or null when the name is
 * common (more than NAME_MATCH_CAP matches).
 */
export async function customerNameMatches(shop: string, query: string): Promise<string[] | null> {
  const short = [...query].length < MIN_TRIGRAM_LENGTH;
  const postgres = appConfig().databaseProvider === "postgresql";
  const limit = NAME_MATCH_CAP + 1;
  const rows = short
    ? postgres
      ? await prisma.$queryRaw<{ id: string }[]>`
          SELECT "id" FROM "Tracking"
          WHERE "shop" = ${shop} AND tracking_name_short_grams("customerName") @> ARRAY[lower(${query})]
          LIMIT ${limit}`
      : // SQLite's LIKE folds ASCII letters only.
        await prisma.$queryRaw<{ id: string }[]>`
          SELECT t."id" AS id FROM "Tracking" t INDEXED BY "Tracking_customerName_short_idx"
          WHERE t."shop" = ${shop} AND t."customerName" LIKE ${`%${escapeLike(query)}%`} ESCAPE '\\'
          LIMIT ${limit}`
    : postgres
      ? await prisma.$queryRaw<{ id: string }[]>`
          SELECT "id" FROM "Tracking"
          WHERE "shop" = ${shop} AND "customerName" ILIKE ${`%${escapeLike(query)}%`}
          LIMIT ${limit}`
      : // One FTS5 phrase: with the trigram tokenizer, the query's trigrams in a row, i.e. the
        // query as a substring. Case folding is FTS5's (Unicode), not LIKE's (ASCII only).
        await prisma.$queryRaw<{ id: string }[]>`
          SELECT t."id" AS id FROM "TrackingNameSearch"
          JOIN "Tracking" t ON t.rowid = "TrackingNameSearch".rowid
          WHERE "TrackingNameSearch" MATCH ${`"${query.replace(/"/g, '""')}"`} AND t."shop" = ${shop}
          LIMIT ${limit}`;
  return rows.length > NAME_MATCH_CAP ? null : rows.map((r) => r.id);
}

/**
 * The WHERE for names containing `query`, when the index did not give the ids (a common name):
 * a scan that stops when the page is full. Case-insensitive on both databases, as the index is
 * (SQLite's LIKE folds ASCII; PostgreSQL needs ILIKE, which its generated client spells `mode`).
 */
export function customerNameContains(query: string): Prisma.TrackingWhereInput {
  const insensitive = appConfig().databaseProvider === "postgresql" ? { mode: "insensitive" } : {};
  return { customerName: { contains: query, ...insensitive } as Prisma.StringNullableFilter };
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
