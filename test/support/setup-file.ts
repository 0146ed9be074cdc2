import { randomBytes } from "node:crypto";
import { afterAll, afterEach } from "vitest";
import { applyTestEnvironment } from "./env";
import {
  copySqliteTemplate,
  createPostgresDatabase,
  postgresUrlFor,
  testProvider,
  withPostgres,
  postgresAdminUrl,
} from "./databases";
import { shopifyApiMock } from "./shopify-api-mock";

applyTestEnvironment();

// A fresh database for this test file, before any app module reads DATABASE_URL.
const runId = process.env.TRACKBRIDGE_TEST_RUN;
if (!runId) throw new Error("test/support/global-setup.ts did not run: no TRACKBRIDGE_TEST_RUN");
const name = `f${randomBytes(4).toString("hex")}`;
let postgresDatabase: string | undefined;
if (testProvider() === "postgresql") {
  postgresDatabase = await createPostgresDatabase(runId, name);
  process.env.DATABASE_URL = postgresUrlFor(postgresDatabase);
} else {
  process.env.DATABASE_URL = `file:${copySqliteTemplate(runId, name)}`;
}

// Listening before any test module imports the app: Shopify's library keeps the `fetch` it
// finds at import time, and that must already be the intercepted one.
shopifyApiMock.listen({ onUnhandledRequest: refuseTheInternet });
afterEach(() => shopifyApiMock.resetHandlers());
afterAll(async () => {
  shopifyApiMock.close();
  const client = globalThis.__trackbridgePrisma;
  if (client) await client.$disconnect();
  if (postgresDatabase) {
    const database = postgresDatabase;
    await withPostgres(postgresAdminUrl(), (c) =>
      c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
    );
  }
});

// Requests to this machine (the TrackingMore emulator, the app under test) pass; anything else
// that no test handler answered fails the request, so no test can reach Shopify or TrackingMore.
function refuseTheInternet(request: Request, print: { error(): void }) {
  const { hostname } = new URL(request.url);
  if (hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]") return;
  print.error();
  throw new Error(`Test tried to reach ${request.method} ${request.url}; intercept it with shopifyApiMock`);
}
