import { randomUUID } from "node:crypto";
import { appConfig } from "~/config.server";
import prisma from "./client.server";

// Raw SQL helpers for the statements Prisma's query compiler makes too slow on hot paths
// (multi-row writes, claims): written once for both databases.

/**
 * A unique constraint refused the write (Prisma's P2002, or P2010 from raw SQL). Checked by
 * code, not by class: the PostgreSQL client's error classes are not the SQLite client's the app
 * types against.
 */
export function isUniqueConstraintError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
  };
  // Raw SQL (insertStatements) reports the same refusal as P2010 with the driver's reason.
  return (
    code === "P2002" ||
    (code === "P2010" && meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation")
  );
}

/**
 * Numbered parameter markers for raw SQL built at run time (multi-row statements): `?` for
 * SQLite, `$n` for PostgreSQL. `first` is the 0-based index of the first marker.
 */
export function sqlParameterMarkers(count: number, first = 0): string[] {
  const numbered = appConfig().databaseProvider === "postgresql";
  return Array.from({ length: count }, (_, i) => (numbered ? `$${first + i + 1}` : "?"));
}

/**
 * A DateTime as raw SQL must write it: the text form Prisma itself stores on SQLite (so Prisma's
 * comparisons on the column keep working); PostgreSQL parses the same text as a timestamp.
 */
export function sqlDateTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/** An id for a row written by raw SQL, where Prisma's own `@default(cuid())` does not apply. */
export function newRowId(): string {
  return randomUUID();
}

export type SqlValue = string | number | Date | null;

// SQLite binds at most 32,766 parameters a statement; PostgreSQL 65,535.
const MAX_PARAMETERS = 30_000;

/**
 * Multi-row INSERT statements for rows that all have the same columns, chunked under the
 * parameter limit; run each with $executeRawUnsafe (alone or in an array $transaction). For
 * bulk writes on hot paths: Prisma's query compiler spends ~0.5 ms a row on a createMany here,
 * and the statement is the same either way. `then` follows VALUES (ON CONFLICT, RETURNING).
 */
export function insertStatements(
  table: string,
  rows: Record<string, SqlValue>[],
  { then = "" }: { then?: string } = {},
): { sql: string; values: (string | number | null)[] }[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const statements = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values = chunk.flatMap((row) =>
      columns.map((column) => {
        const value = row[column];
        return value instanceof Date ? sqlDateTime(value) : (value ?? null);
      }),
    );
    const tuples = chunk.map(
      (_, i) => `(${sqlParameterMarkers(columns.length, i * columns.length).join(", ")})`,
    );
    statements.push({
      sql: `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")} ${then}`,
      values,
    });
  }
  return statements;
}

/**
 * The database's own words for a refused raw statement (Prisma's P2010 wraps them in a long
 * message about its query engine); null for other errors.
 */
export function databaseRefusal(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const message = (error as { meta?: { driverAdapterError?: { cause?: { originalMessage?: unknown } } } })
    .meta?.driverAdapterError?.cause?.originalMessage;
  return typeof message === "string" && message ? `The database refused the write: ${message}` : null;
}

/**
 * Several scalar subqueries (index range counts, EXISTS probes) answered in one statement: one
 * round trip instead of one per figure. Each subquery is written with `param(value)` for its
 * values; the answers come back as numbers, in order (an EXISTS as 0 or 1).
 */
export async function selectScalars(
  subqueries: ((param: (value: SqlValue) => string) => string)[],
): Promise<number[]> {
  const values: SqlValue[] = [];
  const numbered = appConfig().databaseProvider === "postgresql";
  const param = (value: SqlValue) => {
    values.push(value instanceof Date ? sqlDateTime(value) : value);
    return numbered ? `$${values.length}` : "?";
  };
  const columns = subqueries.map((subquery, i) => `(${subquery(param)}) AS "v${i}"`);
  const [row] = await prisma.$queryRawUnsafe<Record<string, bigint | number | boolean>[]>(
    `SELECT ${columns.join(", ")}`,
    ...values,
  );
  return subqueries.map((_, i) => Number(row[`v${i}`]));
}
