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
 * A unique constraint refused the write (Prisma's P2002). Checked by code, not by class: the
 * PostgreSQL client's error classes are not the SQLite client's the app types against.
 */
export function isUniqueConstraintError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** The record to update or delete does not exist (Prisma's P2025); see isUniqueConstraintError. */
export function isRecordNotFoundError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2025";
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
  const adapter = new PrismaBetterSQLite3({ url: file, timeout: 10_000 });
  return new SqliteClient({ adapter });
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
