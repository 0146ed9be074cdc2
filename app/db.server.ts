import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
// Two clients are generated from the one data model (scripts/db.mjs generate): Prisma fixes the
// provider per generated client. Their model APIs are identical, so the app types against the
// SQLite one and picks the client that matches DATABASE_URL at start-up.
import { PrismaClient as SqliteClient, Prisma } from ".prisma-trackbridge/sqlite";
import { appConfig, databaseProviderOf } from "./config.server";

export type PrismaClient = SqliteClient;
export type TransactionClient = Prisma.TransactionClient;
export { Prisma };

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

/** The record to update or delete does not exist (Prisma's P2025); see isUniqueConstraintError. */
export function isRecordNotFoundError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2025";
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

export function sqliteFilePath(databaseUrl: string): string {
  return path.resolve(databaseUrl.replace(/^file:/, "").replace(/\?.*$/, ""));
}

export function createPrismaClient(databaseUrl: string): PrismaClient {
  if (databaseProviderOf(databaseUrl) === "postgresql") {
    const adapter = new PrismaPg({ connectionString: databaseUrl, max: 10 });
    // Loaded only when PostgreSQL is used: the embedded (SQLite) default never pays for it.
    const { PrismaClient: PostgresClient } = createRequire(path.join(process.cwd(), "package.json"))(
      ".prisma-trackbridge/postgres",
    ) as { PrismaClient: new (options: { adapter: PrismaPg }) => unknown };
    return new PostgresClient({ adapter }) as PrismaClient;
  }
  const file = sqliteFilePath(databaseUrl);
  // WAL lets the dispatcher write while webhook handlers and loaders read. The mode is stored
  // in the database file, so setting it once through a short-lived connection is enough.
  if (existsSync(file)) {
    const connection = new Database(file);
    connection.pragma("journal_mode = WAL");
    connection.close();
  }
  // The busy timeout makes concurrent writers (web process and workers) wait, not fail.
  const adapter = queriesWaitForTransactions(new PrismaBetterSQLite3({ url: file, timeout: 10_000 }));
  const client = new SqliteClient({ adapter });
  requestPathQueries.set(client, adapter.queryOnRequestPath);
  return client;
}

type RequestPathQuery = (sql: string, values: SqlParameter[]) => Promise<Record<string, unknown>[] | null>;
const requestPathQueries = new WeakMap<object, RequestPathQuery>();

export type SqlParameter = string | number | null;

/**
 * Raw SQL for the one write a webhook's answer waits for. Through Prisma's client a raw
 * statement costs ~1 ms more than the statement itself here (its query plan round trip); on
 * SQLite this goes straight to the connection Prisma's adapter holds, in turn with Prisma's
 * own transactions (queriesWaitForTransactions). On PostgreSQL, or before the connection is
 * open, it is Prisma's $queryRawUnsafe.
 */
export async function queryOnRequestPath<Row extends object>(
  sql: string,
  values: SqlParameter[],
): Promise<Row[]> {
  const client = sharedClient();
  const rows = await requestPathQueries.get(client)?.(sql, values);
  return (rows ?? (await client.$queryRawUnsafe<Row[]>(sql, ...values))) as Row[];
}

type SqliteAdapterFactory = PrismaBetterSQLite3;
type SqliteAdapter = Awaited<ReturnType<SqliteAdapterFactory["connect"]>>;
type SqliteTransaction = Awaited<ReturnType<SqliteAdapter["startTransaction"]>>;
type SqlArgumentType = Parameters<SqliteAdapter["queryRaw"]>[0]["argTypes"][number];
const TEXT_ARGUMENT: SqlArgumentType = { scalarType: "string", arity: "scalar" };

/**
 * better-sqlite3 answers synchronously, so without this a job's whole round of queries would run
 * as one unbroken chain of promise callbacks, and requests (webhooks waiting for their 200)
 * would wait for all of it. Each query first lets the event loop serve what is waiting.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A first-come, first-served lock: resolves with the function that releases it. */
function fifoLock(): () => Promise<() => void> {
  let tail: Promise<void> = Promise.resolve();
  return () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const acquired = tail.then(() => release);
    tail = tail.then(() => released);
    return acquired;
  };
}

/**
 * Prisma's better-sqlite3 adapter runs plain queries and transactions on one connection and
 * serialises only the transactions: a plain query made while an interactive transaction is
 * open would run inside it, be undone if it rolls back, and be durable only when it commits. A
 * webhook acknowledged on such a write could be lost. Here every plain query waits until no
 * transaction is open, and transactions wait for plain queries in flight, first come first
 * served; and each lets the event loop turn first (see yieldToEventLoop).
 */
export function queriesWaitForTransactions(factory: SqliteAdapterFactory): Pick<
  SqliteAdapterFactory,
  "provider" | "adapterName" | "connect"
> & {
  queryOnRequestPath: RequestPathQuery;
} {
  let connected: RequestPathQuery | undefined;
  const connect = async (): Promise<SqliteAdapter> => {
    const adapter = await factory.connect();
    const lock = fifoLock();
    const inTurn = async <T>(work: () => Promise<T>): Promise<T> => {
      const release = await lock();
      try {
        return await work();
      } finally {
        release();
      }
    };
    const alone = async <T>(work: () => Promise<T>): Promise<T> => {
      await yieldToEventLoop();
      return inTurn(work);
    };
    connected = async (sql, values) => {
      const result = await inTurn(() =>
        adapter.queryRaw({ sql, args: values, argTypes: values.map(() => TEXT_ARGUMENT) }),
      );
      return result.rows.map((row) =>
        Object.fromEntries(result.columnNames.map((column, i) => [column, row[i]])),
      );
    };
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      queryRaw: (query) => alone(() => adapter.queryRaw(query)),
      executeRaw: (query) => alone(() => adapter.executeRaw(query)),
      executeScript: (script) => alone(() => adapter.executeScript(script)),
      getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
      dispose: () => adapter.dispose(),
      startTransaction: async (isolationLevel) => {
        await yieldToEventLoop();
        const release = await lock();
        let transaction: SqliteTransaction;
        try {
          transaction = await adapter.startTransaction(isolationLevel);
        } catch (error) {
          release();
          throw error;
        }
        const end = async (how: () => Promise<void>) => {
          try {
            await how();
          } finally {
            release();
          }
        };
        return {
          provider: transaction.provider,
          adapterName: transaction.adapterName,
          options: transaction.options,
          queryRaw: (query) => transaction.queryRaw(query),
          executeRaw: (query) => transaction.executeRaw(query),
          commit: () => end(() => transaction.commit()),
          rollback: () => end(() => transaction.rollback()),
        };
      },
    };
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect,
    // Null until Prisma has opened the connection: the caller then goes through Prisma.
    queryOnRequestPath: async (sql, values) => (connected ? connected(sql, values) : null),
  };
}

declare global {
  var __trackbridgePrisma: PrismaClient | undefined;
}

function sharedClient(): PrismaClient {
  // Remix dev reloads modules; keep one client (and one connection pool) per process.
  globalThis.__trackbridgePrisma ??= createPrismaClient(appConfig().databaseUrl);
  return globalThis.__trackbridgePrisma;
}

/** The process's Prisma client, created on first use. */
const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = sharedClient();
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

export default prisma;
