import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { rmSync } from "node:fs";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  applySqliteScripts,
  migrationScripts,
  postgresAdminUrl,
  postgresUrlFor,
  schemaDdl,
  testProvider,
  withPostgres,
} from "../support/databases";

// Fails when prisma/schema.prisma and a committed migration history disagree: a database
// built by replaying the migrations must have exactly the tables, columns and indexes of one
// built from the schema's own DDL. (Prisma's `migrate diff --from-migrations` cannot replay
// SQLite migrations on the WebAssembly engine, hence this structural comparison.)

/**
 * What migrations add by hand because a Prisma schema cannot express it (the customer-name
 * search indexes, app/models/admin/name-search.server.ts): required in the migrated database,
 * and left out of the comparison. SQLite's FTS5 table keeps shadow tables named after it; the
 * short-query index is SQLite's only on SQLite (a Prisma index would be PostgreSQL's too).
 */
const HAND_WRITTEN = {
  sqlite: /^TrackingNameSearch(_\w+)?$/,
  sqliteIndexes: /^Tracking_customerName_short_idx$/,
  postgresql: /^Tracking_customerName_(trgm|short)_idx$/,
};

function describeSqlite(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations' ORDER BY name",
      )
      .all() as { name: string }[];
    return tables.map(({ name }) => ({
      table: name,
      // Column order follows history (ALTER TABLE appends), so compare columns by name.
      columns: (db.pragma(`table_info("${name}")`) as { cid: number; name: string }[])
        .map(({ cid: _cid, ...column }) => column)
        .sort((a, b) => a.name.localeCompare(b.name)),
      indexes: (db.pragma(`index_list("${name}")`) as { name: string; unique: number }[])
        .map((index) => ({
          ...index,
          columns: (db.pragma(`index_info("${index.name}")`) as { name: string }[]).map((c) => c.name),
        }))
        .map(({ name: indexName, unique, columns }) => ({
          indexName,
          unique,
          columns,
        }))
        .sort((a, b) => a.indexName.localeCompare(b.indexName)),
    }));
  } finally {
    db.close();
  }
}

async function describePostgres(database: string) {
  return withPostgres(postgresUrlFor(database), async (c) => {
    const columns = await c.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name != '_prisma_migrations' ORDER BY table_name, column_name`,
    );
    const indexes = await c.query(
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename != '_prisma_migrations' ORDER BY indexname`,
    );
    const constraints = await c.query(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY conname`,
    );
    return {
      columns: columns.rows,
      indexes: indexes.rows,
      constraints: constraints.rows,
    };
  });
}

const provider = testProvider();

// Each run checks the provider it runs on; CI runs the suite on both.
describe(`${provider} migrations`, () => {
  it("add up to exactly the schema (prisma/schema.prisma, or the PostgreSQL schema derived from it)", async () => {
    if (provider === "postgresql") return checkPostgres();
    const dir = tmpdir();
    const id = randomBytes(4).toString("hex");
    const fromMigrations = path.join(dir, `drift-migrations-${id}.sqlite`);
    const fromSchema = path.join(dir, `drift-schema-${id}.sqlite`);
    try {
      applySqliteScripts(fromMigrations, migrationScripts("sqlite"));
      applySqliteScripts(fromSchema, [schemaDdl("sqlite")]);
      const expected = describeSqlite(fromSchema);
      expect(expected.length).toBeGreaterThan(5);
      const migrated = describeSqlite(fromMigrations);
      expect(migrated.map((t) => t.table)).toContain("TrackingNameSearch");
      const tracking = migrated.find((t) => t.table === "Tracking")!;
      const handWritten = (i: { indexName: string }) => HAND_WRITTEN.sqliteIndexes.test(i.indexName);
      expect(tracking.indexes.filter(handWritten)).toHaveLength(1);
      const compared = migrated
        .filter((t) => !HAND_WRITTEN.sqlite.test(t.table))
        .map((t) => ({ ...t, indexes: t.indexes.filter((i) => !handWritten(i)) }));
      expect(compared).toEqual(expected);
    } finally {
      for (const f of [fromMigrations, fromSchema]) rmSync(f, { force: true });
    }
  });
});

async function checkPostgres() {
  const id = randomBytes(4).toString("hex");
  const fromMigrations = `tb_drift_m_${id}`;
  const fromSchema = `tb_drift_s_${id}`;
  await withPostgres(postgresAdminUrl(), async (c) => {
    await c.query(`CREATE DATABASE "${fromMigrations}"`);
    await c.query(`CREATE DATABASE "${fromSchema}"`);
  });
  try {
    await withPostgres(postgresUrlFor(fromMigrations), async (c) => {
      for (const sql of migrationScripts("postgresql")) await c.query(sql);
    });
    const ddl = schemaDdl("postgresql");
    await withPostgres(postgresUrlFor(fromSchema), (c) => c.query(ddl));
    const expected = await describePostgres(fromSchema);
    expect(expected.columns.length).toBeGreaterThan(20);
    const migrated = await describePostgres(fromMigrations);
    const handWritten = (i: { indexname: string }) => HAND_WRITTEN.postgresql.test(i.indexname);
    expect(migrated.indexes.filter(handWritten)).toHaveLength(2);
    expect({ ...migrated, indexes: migrated.indexes.filter((i) => !handWritten(i)) }).toEqual(expected);
  } finally {
    await withPostgres(postgresAdminUrl(), async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${fromMigrations}" WITH (FORCE)`);
      await c.query(`DROP DATABASE IF EXISTS "${fromSchema}" WITH (FORCE)`);
    });
  }
}
