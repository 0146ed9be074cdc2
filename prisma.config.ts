// Prisma CLI configuration. Prisma's engine download host is unreachable here, so migrations
// run on the WebAssembly schema engine through a driver adapter (`engine: "js"`). The provider
// follows DATABASE_URL: file: → SQLite (prisma/schema.prisma), postgres:// → PostgreSQL
// (prisma/postgres/schema.prisma, derived from the SQLite one by scripts/db.mjs).
import os from "node:os";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const databaseUrl = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
const isPostgres = /^postgres(ql)?:\/\//.test(databaseUrl);

// prisma/orm#27403: the schema engine reads catalog columns of type `name` (OID 19) and `char`
// (OID 18), which @prisma/adapter-pg 6.x cannot map. Report them as text (OID 25).
function reportCatalogTypesAsText<T>(result: T): T {
  const fields = (result as { fields?: { dataTypeID: number }[] } | undefined)?.fields ?? [];
  for (const field of fields) if (field.dataTypeID === 19 || field.dataTypeID === 18) field.dataTypeID = 25;
  return result;
}

type Query = (...args: unknown[]) => unknown;
function patchQuery(target: { query: Query }) {
  const original = target.query.bind(target);
  target.query = (...args: unknown[]) => {
    const pending = original(...args);
    return pending instanceof Promise ? pending.then(reportCatalogTypesAsText) : pending;
  };
}

class CatalogSafePool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super(config);
    patchQuery(this as unknown as { query: Query });
    this.on("connect", (client) => patchQuery(client as unknown as { query: Query }));
  }
}

function poolFor(database?: string) {
  const url = new URL(databaseUrl);
  return new CatalogSafePool({
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: database ?? url.pathname.slice(1),
  });
}

// The adapter's own shadow database ignores the patch above (and with a connection string
// reuses the main database), so `migrate diff --from-migrations` gets a throw-away database.
class MigrationPgAdapter extends PrismaPg {
  override async connectToShadowDb() {
    const main = await this.connect();
    const database = `prisma_shadow_${globalThis.crypto.randomUUID().replace(/-/g, "")}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new PrismaPg(poolFor(database), { disposeExternalPool: true }).connect();
    const disposeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await disposeShadow();
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await main.dispose();
    };
    return shadow;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: isPostgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  async adapter() {
    if (isPostgres) return new MigrationPgAdapter(poolFor());
    const file = databaseUrl.replace(/^file:/, "");
    // A file, not ":memory:", for the shadow database: the in-memory one fails to replay migrations.
    const shadow = path.join(os.tmpdir(), `trackbridge-shadow-${process.pid}-${Date.now()}.sqlite`);
    return new PrismaBetterSQLite3({ url: path.resolve(file) }, { shadowDatabaseUrl: shadow });
  },
});
