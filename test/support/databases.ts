import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

// Each test file gets a database of its own, copied from a template that the global setup
// builds once per run from the committed migrations (so the tests also prove the migrations).

export const root = path.resolve(__dirname, "../..");
export type TestProvider = "sqlite" | "postgresql";

export function testProvider(): TestProvider {
  return process.env.TEST_DATABASE === "postgres" || process.env.TEST_DATABASE === "postgresql"
    ? "postgresql"
    : "sqlite";
}

/** The server the PostgreSQL run uses; its own databases are created and dropped per run. */
export function postgresAdminUrl(): string {
  return process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
}

export function postgresUrlFor(database: string): string {
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

export function migrationsDir(provider: TestProvider): string {
  return path.join(root, provider === "sqlite" ? "prisma/migrations" : "prisma/postgres/migrations");
}

/** The committed migrations' SQL, oldest first. */
export function migrationScripts(provider: TestProvider): string[] {
  const dir = migrationsDir(provider);
  return readdirSync(dir)
    .filter((name) => /^\d/.test(name))
    .sort()
    .map((name) => readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
}

export function applySqliteScripts(file: string, scripts: string[]) {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    for (const sql of scripts) db.exec(sql);
  } finally {
    db.close();
  }
}

export async function withPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function sqliteTemplatePath(runId: string): string {
  return path.join(tmpdir(), `trackbridge-test-${runId}`, "template.sqlite");
}

export function createSqliteTemplate(runId: string): string {
  const file = sqliteTemplatePath(runId);
  mkdirSync(path.dirname(file), { recursive: true });
  applySqliteScripts(file, migrationScripts("sqlite"));
  return file;
}

export function copySqliteTemplate(runId: string, name: string): string {
  const file = path.join(path.dirname(sqliteTemplatePath(runId)), `${name}.sqlite`);
  copyFileSync(sqliteTemplatePath(runId), file);
  return file;
}

export function removeSqliteRun(runId: string) {
  rmSync(path.dirname(sqliteTemplatePath(runId)), { recursive: true, force: true });
}

export const postgresTemplateName = (runId: string) => `tb_${runId}_template`;

export async function createPostgresTemplate(runId: string) {
  const template = postgresTemplateName(runId);
  await withPostgres(postgresAdminUrl(), (c) => c.query(`CREATE DATABASE "${template}"`));
  await withPostgres(postgresUrlFor(template), async (c) => {
    for (const sql of migrationScripts("postgresql")) await c.query(sql);
  });
}

export async function createPostgresDatabase(runId: string, name: string): Promise<string> {
  const database = `tb_${runId}_${name}`;
  await withPostgres(postgresAdminUrl(), (c) =>
    c.query(`CREATE DATABASE "${database}" TEMPLATE "${postgresTemplateName(runId)}"`),
  );
  return database;
}

export async function dropPostgresDatabases(prefix: string) {
  await withPostgres(postgresAdminUrl(), async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`${prefix}%`],
    );
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}

/** Prisma's own DDL for the schema, from nothing: what the migrations must add up to. */
export function schemaDdl(provider: TestProvider): string {
  return execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { schemaDdl } from "./scripts/db.mjs"; process.stdout.write(schemaDdl(${JSON.stringify(provider)}));`,
    ],
    { cwd: root, encoding: "utf8" },
  );
}
