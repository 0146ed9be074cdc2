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
import { appConfig, databaseProviderOf } from "~/config.server";
import { queriesWaitForTransactions, type RequestPathQuery, type SqlParameter } from "./sqlite-guard.server";

export type PrismaClient = SqliteClient;
export type TransactionClient = Prisma.TransactionClient;
export { Prisma };

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

const requestPathQueries = new WeakMap<object, RequestPathQuery>();

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
