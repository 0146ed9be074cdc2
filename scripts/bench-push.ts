// Push handling benchmark: 1,000 signed TrackingMore pushes at concurrency 16 against the
// production build (`node scripts/serve.mjs`) on SQLite. Each push is a real change (a parcel's
// first transit scan, with a fulfillment), so it takes the whole path: verify, store the
// status, queue the Shopify event. Prints throughput and p50/p99 latency and writes them into
// BENCHMARKS.md (its own "## TrackingMore push handling" section; other sections are kept).
//
//   npm run bench -- --only push [--pushes 1000] [--concurrency 16] [--no-build] [--no-write]
// Exits 0 when the p99 target is met, 3 when it is missed, 1 when a push was lost or refused.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { createPrismaClient } from "../app/db/client.server";
import { encryptSecret } from "../app/lib/secrets.server";
import {
  appEnvironment,
  choosePort,
  DEMO_ENCRYPTION_KEY,
  ensureBuild,
  migrateDatabase,
  root,
  SERVER_NODE_FLAGS,
  startAppServer,
} from "./lib/app-server";
import { machineDescription, writeBenchmarkSection } from "./lib/bench-report";
import { postBody, runLoad } from "./lib/load";
import { signedPushBody, wireTracking } from "../devkit/trackingmore-wire";

export interface PushBenchOptions {
  pushes?: number;
  concurrency?: number;
  warmup?: number;
  build?: boolean;
  log?: (line: string) => void;
}

export interface PushBenchResult {
  pushes: number;
  concurrency: number;
  seconds: number;
  throughputPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  failures: number;
  /** As many requests refused as malformed (no database work): the HTTP floor. */
  floorP50Ms: number;
  floorP99Ms: number;
  floorPerSecond: number;
  /** Pushes still waiting for the apply job when the measured run ended. */
  kept: number;
  /** Pushes the apply job stored per second (start-up of the worker process included). */
  applyPerSecond: number;
  rowsUpdated: number;
  eventsQueued: number;
}

const SHOP = "bench-push.myshopify.com";
const EMAIL = "owner@bench-push.example";
export const PUSH_TARGET_P99_MS = 25;

/** A parcel's first transit scan, an hour ago, as TrackingMore pushes it. */
function pushBody(trackingNumber: string): string {
  const scannedAt = new Date(Date.now() - 3_600_000);
  return signedPushBody(
    EMAIL,
    wireTracking({
      trackingNumber,
      carrierCode: "dhl",
      status: "transit",
      transitDays: 0,
      itemReceived: scannedAt,
      checkpoints: [
        {
          at: scannedAt,
          status: "transit",
          substatus: "transit001",
          description: "Item accepted by carrier",
          location: "Shenzhen, CN",
        },
      ],
    }),
  );
}

async function seed(databaseUrl: string, count: number): Promise<string[]> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    const key = Buffer.from(DEMO_ENCRYPTION_KEY, "hex");
    await prisma.shop.create({ data: { domain: SHOP } });
    await prisma.shopSettings.create({
      data: { shop: SHOP, trackingMoreAccountEmailCipher: encryptSecret(EMAIL, key) },
    });
    const numbers = Array.from({ length: count }, (_, i) => `BENCH${String(i).padStart(7, "0")}`);
    for (let i = 0; i < numbers.length; i += 500) {
      await prisma.tracking.createMany({
        data: numbers.slice(i, i + 500).map((trackingNumber, j) => ({
          shop: SHOP,
          orderId: `order-${i + j}`,
          fulfillmentId: String(900_000 + i + j),
          trackingNumber,
          carrierCode: "dhl",
          trackingMoreId: `tm-${trackingNumber}`,
          syncState: "synced",
        })),
      });
    }
    return numbers;
  } finally {
    await prisma.$disconnect();
  }
}

/** Posts every body, `concurrency` at a time, over keep-alive connections (scripts/lib/load.ts). */
async function send(url: string, bodies: string[], concurrency: number, expectedStatus = 200) {
  const result = await runLoad({
    count: bodies.length,
    concurrency,
    maxDurationMs: 120_000,
    send: (i, agent) => postBody(url, bodies[i], { agent }),
  });
  const answeredAsExpected =
    expectedStatus >= 200 && expectedStatus < 300
      ? result.acknowledged
      : (result.failures[expectedStatus] ?? 0);
  return { ...result, failures: bodies.length - answeredAsExpected, seconds: result.elapsedMs / 1000 };
}

export async function benchPush(options: PushBenchOptions = {}): Promise<PushBenchResult> {
  const pushes = options.pushes ?? 1000;
  const concurrency = options.concurrency ?? 16;
  const warmup = options.warmup ?? 100;
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.build !== false) ensureBuild(log);

  const dir = mkdtempSync(path.join(os.tmpdir(), "trackbridge-bench-push-"));
  const databaseUrl = `file:${path.join(dir, "bench.sqlite")}`;
  migrateDatabase(databaseUrl);
  // The journal the app's SQLite database is meant to run with (see app/db/sqlite-guard.server.ts): WAL.
  const db = new Database(path.join(dir, "bench.sqlite"));
  db.pragma("journal_mode = WAL");
  db.close();
  const numbers = await seed(databaseUrl, warmup + pushes);
  const port = await choosePort(0);
  const env = appEnvironment({
    port,
    databaseUrl,
    trackingMoreBaseUrl: "http://127.0.0.1:1/v2",
    logLevel: "warn",
    // The embedded default: background jobs in the web process, giving way to the burst.
    extra: { RUN_WORKER_IN_WEB: "true" },
  });
  const server = await startAppServer(env, path.join(dir, "app.log"));
  try {
    const url = `${server.url}/webhooks/trackingmore`;
    await send(url, numbers.slice(0, warmup).map(pushBody), concurrency);
    // The floor on this machine: as many requests, answered 400 before any database work.
    const floorRun = await send(
      url,
      Array.from({ length: pushes }, () => "{not json"),
      concurrency,
      400,
    );
    const run = await send(url, numbers.slice(warmup).map(pushBody), concurrency);

    // The pushes were only verified and kept; the apply job stores them once the burst is over.
    const prisma = createPrismaClient(databaseUrl);
    try {
      const applyStarted = performance.now();
      const kept = await prisma.trackingMorePush.count();
      const deadline = Date.now() + 120_000;
      while ((await prisma.trackingMorePush.count()) > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const applySeconds = (performance.now() - applyStarted) / 1000;
      const rowsUpdated = await prisma.tracking.count({ where: { shop: SHOP, status: "transit" } });
      const eventsQueued = await prisma.fulfillmentEventRecord.count({
        where: { shop: SHOP, status: "CARRIER_PICKED_UP" },
      });
      return {
        pushes,
        concurrency,
        seconds: run.seconds,
        throughputPerSecond: pushes / run.seconds,
        p50Ms: run.latencyMs.p50,
        p99Ms: run.latencyMs.p99,
        maxMs: run.latencyMs.max,
        failures: run.failures + floorRun.failures,
        floorP50Ms: floorRun.latencyMs.p50,
        floorP99Ms: floorRun.latencyMs.p99,
        floorPerSecond: pushes / floorRun.seconds,
        kept,
        applyPerSecond: kept / applySeconds,
        rowsUpdated,
        eventsQueued,
      };
    } finally {
      await prisma.$disconnect();
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const PUSH_SECTION = "TrackingMore push handling";

export function pushBenchMarkdown(result: PushBenchResult, when = new Date()): string {
  const verdict = result.p99Ms <= PUSH_TARGET_P99_MS ? "met" : "missed";

  return [
    `${result.pushes} signed pushes (each a real status change that queues a Shopify event) after 100 ` +
      `warm-up pushes, concurrency ${result.concurrency}, over keep-alive loopback connections (the ingest ` +
      `benchmark's load generator, scripts/lib/load.ts), against \`node ${SERVER_NODE_FLAGS.join(" ")} ` +
      `scripts/serve.mjs\` on SQLite (\`npm run bench -- --only push\`). The webhook fast lane verifies ` +
      `the signature and commits the push (group commit) before its 200. Background jobs run in the web ` +
      `process (the embedded default) and give way to the burst; the apply job then stores the statuses ` +
      `and queues the events (last row: from the end of the run until none is left).`,
    "",
    "| measure | value |",
    "|---|---|",
    `| throughput | ${result.throughputPerSecond.toFixed(0)} pushes/s (${result.seconds.toFixed(2)} s) |`,
    `| p50 latency | ${result.p50Ms.toFixed(1)} ms |`,
    `| p99 latency | ${result.p99Ms.toFixed(1)} ms (target ≤ ${PUSH_TARGET_P99_MS} ms: ${verdict}) |`,
    `| max latency | ${result.maxMs.toFixed(1)} ms |`,
    `| non-2xx answers | ${result.failures} |`,
    `| floor: as many malformed pushes, answered 400 before any database work | ` +
      `${result.floorPerSecond.toFixed(0)} requests/s, p50 ${result.floorP50Ms.toFixed(1)} ms, ` +
      `p99 ${result.floorP99Ms.toFixed(1)} ms |`,
    `| applied afterwards by the apply job | ${result.rowsUpdated} rows, ${result.eventsQueued} Shopify ` +
      `events queued; the ${result.kept} still waiting at the end of the run at ` +
      `${result.applyPerSecond.toFixed(0)} pushes/s |`,
    "",
    `Machine: ${machineDescription()}. Run ${when.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
  ].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(root, "scripts/bench-push.ts")) {
  const argv = process.argv.slice(2);
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  benchPush({
    pushes: value("--pushes"),
    concurrency: value("--concurrency"),
    build: !argv.includes("--no-build"),
  })
    .then((result) => {
      const markdown = pushBenchMarkdown(result);
      console.log(`## ${PUSH_SECTION}\n\n${markdown}`);
      if (!argv.includes("--no-write")) writeBenchmarkSection(PUSH_SECTION, markdown);
      const correct =
        result.failures === 0 &&
        result.rowsUpdated === result.pushes + 100 &&
        result.eventsQueued === result.pushes + 100;
      process.exit(!correct ? 1 : result.p99Ms <= PUSH_TARGET_P99_MS ? 0 : 3);
    })
    .catch((error: unknown) => {
      console.error(
        `bench push failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exit(1);
    });
}
