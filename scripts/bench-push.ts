// Push handling benchmark, both halves of a push:
// - acknowledged: 1,000 signed TrackingMore pushes at concurrency 16 against the production build
//   (`node scripts/serve.mjs`) on SQLite, with as many malformed ones (refused before any
//   database work) as the floor. Each push is a real change (a parcel's first transit scan, with
//   a fulfillment): verified and kept before the 200.
// - applied: the apply stage (app/pipeline/push-apply/apply.server.ts) draining a backlog of
//   5,000 received pushes round after round, in a process of its own per database (SQLite, and
//   PostgreSQL when one answers at BENCH_POSTGRES_URL), against the baseline of the same pushes
//   applied one at a time through applyTrackingSnapshot (the stage's way before issue 10).
// Prints the figures and writes them into BENCHMARKS.md (its own "## TrackingMore push
// handling" section; other sections are kept).
//
//   npm run bench -- --only push [--pushes 1000] [--concurrency 16] [--backlog 5000]
//                                [--no-build] [--no-write] [--sqlite-only]
// Exits 0 when the targets are met (p99 ≤ 25 ms, ≥ 1,000 pushes applied a second on SQLite),
// 3 when one is missed, 1 when a push was lost or refused.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import pg from "pg";
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

/** A parcel's first transit scan, an hour ago, as TrackingMore pushes it (the push's data). */
function firstScan(trackingNumber: string): Record<string, unknown> {
  const scannedAt = new Date(Date.now() - 3_600_000);
  return wireTracking({
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
  });
}

function pushBody(trackingNumber: string): string {
  return signedPushBody(EMAIL, firstScan(trackingNumber));
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
          // Already in transit: the push brings the first scan's checkpoint, not a new status.
          // A push that changes a status waits for TrackingMore to confirm it (push-confirmation:
          // 40 numbers a call at 1 call/s per account), which no local work can speed up.
          status: "transit",
          carrierStatus: "transit",
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

// ---- the apply stage on its own: one process per database (the app reads DATABASE_URL once) ----

export interface ApplyMeasure {
  provider: string;
  pushes: number;
  rounds: number;
  seconds: number;
  perSecond: number;
  /** CPU of the applying process (for SQLite the database's work too) per push. */
  cpuMsPerPush: number;
  rowsUpdated: number;
  eventsQueued: number;
  left: number;
  baseline: { pushes: number; seconds: number; perSecond: number; cpuMsPerPush: number; rowsUpdated: number };
}

export const APPLY_TARGET_PER_SECOND = 1_000;
const APPLY_OUT = path.join(root, ".bench/push");
const PG_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PG_DATABASE = "trackbridge_bench_push";

async function measureApply(provider: string, databaseUrl: string, backlog: number, baselinePushes: number) {
  Object.assign(
    process.env,
    appEnvironment({ port: 0, databaseUrl, trackingMoreBaseUrl: "http://127.0.0.1:1/v2", logLevel: "warn" }),
  );
  const { default: prisma } = await import("../app/db/client.server");
  const { insertStatements, newRowId } = await import("../app/db/sql.server");
  const { applyReceivedPushes } = await import("../app/pipeline/push-apply/apply.server");
  const { applyTrackingSnapshot, SNAPSHOT_ROW_SELECT } =
    await import("../app/models/tracking-status/apply-snapshot.server");
  const { parseTracking } = await import("../app/trackingmore");

  /** `count` trackings of `shop`, each with one received push of its first scan. */
  async function backlogFor(shop: string, count: number) {
    await prisma.shop.create({ data: { domain: shop } });
    const numbers = Array.from(
      { length: count },
      (_, i) => `${shop.slice(6, 9).toUpperCase()}${String(i).padStart(7, "0")}`,
    );
    const start = Date.now() - count;
    for (let i = 0; i < count; i += 500) {
      const chunk = numbers.slice(i, i + 500);
      await prisma.tracking.createMany({
        data: chunk.map((trackingNumber, j) => ({
          shop,
          orderId: `order-${i + j}`,
          fulfillmentId: String(900_000 + i + j),
          trackingNumber,
          carrierCode: "dhl",
          trackingMoreId: `tm-${trackingNumber}`,
          syncState: "synced",
          // Already in transit: the push brings the first scan's checkpoint, not a new status.
          // A push that changes a status waits for TrackingMore to confirm it (push-confirmation:
          // 40 numbers a call at 1 call/s per account), which no local work can speed up.
          status: "transit",
          carrierStatus: "transit",
        })),
      });
      const pushes = chunk.map((trackingNumber, j) => ({
        id: newRowId(),
        trackingNumber,
        carrierCode: "dhl",
        shops: JSON.stringify([shop]),
        data: JSON.stringify(firstScan(trackingNumber)),
        receivedAt: new Date(start + i + j),
        nextAttemptAt: new Date(start + i + j),
      }));
      for (const { sql, values } of insertStatements("TrackingMorePush", pushes))
        await prisma.$executeRawUnsafe(sql, ...values);
    }
  }
  const applied = (shop: string) => prisma.tracking.count({ where: { shop, checkpoints: { not: null } } });

  // Warm-up (both paths' code and statements), then the baseline: one push at a time, as the
  // stage applied them before it was batched.
  await backlogFor("bench-wup.myshopify.com", 200);
  while ((await applyReceivedPushes()) > 0);
  await backlogFor("bench-one.myshopify.com", baselinePushes);
  const oneAtATime = await prisma.trackingMorePush.findMany({ orderBy: { receivedAt: "asc" } });
  let cpu = process.cpuUsage();
  let started = performance.now();
  for (const push of oneAtATime) {
    const snapshot = parseTracking(JSON.parse(push.data));
    const rows = await prisma.tracking.findMany({
      where: {
        shop: { in: JSON.parse(push.shops) as string[] },
        trackingNumber: push.trackingNumber,
        carrierCode: push.carrierCode,
      },
      select: SNAPSHOT_ROW_SELECT,
    });
    for (const row of rows) await applyTrackingSnapshot(row, snapshot);
    await prisma.trackingMorePush.delete({ where: { id: push.id } });
  }
  let seconds = (performance.now() - started) / 1000;
  let cpuUsed = process.cpuUsage(cpu);
  const baseline = {
    pushes: oneAtATime.length,
    seconds,
    perSecond: oneAtATime.length / seconds,
    cpuMsPerPush: (cpuUsed.user + cpuUsed.system) / 1000 / oneAtATime.length,
    rowsUpdated: await applied("bench-one.myshopify.com"),
  };

  // The stage: rounds of applyReceivedPushes, as its job runs them, until the backlog is gone.
  const shop = "bench-all.myshopify.com";
  await backlogFor(shop, backlog);
  let rounds = 0;
  let pushes = 0;
  cpu = process.cpuUsage();
  started = performance.now();
  for (let n; (n = await applyReceivedPushes()) > 0; rounds++) pushes += n;
  seconds = (performance.now() - started) / 1000;
  cpuUsed = process.cpuUsage(cpu);
  const result: ApplyMeasure = {
    provider,
    pushes,
    rounds,
    seconds,
    perSecond: pushes / seconds,
    cpuMsPerPush: (cpuUsed.user + cpuUsed.system) / 1000 / Math.max(1, pushes),
    rowsUpdated: await applied(shop),
    eventsQueued: await prisma.fulfillmentEventRecord.count({ where: { shop, status: "CARRIER_PICKED_UP" } }),
    left: await prisma.trackingMorePush.count(),
    baseline,
  };
  await prisma.$disconnect();
  return result;
}

async function postgresBenchDatabase(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${PG_DATABASE}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${PG_DATABASE}"`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${PG_DATABASE}`;
    return url.toString();
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

function applyChild(provider: string, url: string, backlog: number, baselinePushes: number): ApplyMeasure {
  mkdirSync(APPLY_OUT, { recursive: true });
  const outFile = path.join(APPLY_OUT, `apply-${provider}.json`);
  const child = spawnSync(
    path.join(root, "node_modules/.bin/tsx"),
    [
      "scripts/bench-push.ts",
      "--measure-apply",
      provider,
      url,
      String(backlog),
      String(baselinePushes),
      outFile,
    ],
    { cwd: root, stdio: "inherit", env: process.env },
  );
  if (child.status !== 0)
    throw new Error(`measuring push apply on ${provider} failed (exit ${child.status})`);
  return JSON.parse(readFileSync(outFile, "utf8")) as ApplyMeasure;
}

/** The apply stage on SQLite, and on PostgreSQL when one answers. */
export async function benchPushApply(
  { backlog = 5_000, baselinePushes = 500, postgres = true } = {},
  log: (line: string) => void = (line) => console.log(line),
): Promise<ApplyMeasure[]> {
  const results: ApplyMeasure[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), "trackbridge-bench-apply-"));
  try {
    const sqliteUrl = `file:${path.join(dir, "apply.sqlite")}`;
    migrateDatabase(sqliteUrl);
    results.push(applyChild("sqlite", sqliteUrl, backlog, baselinePushes));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (postgres) {
    const url = await postgresBenchDatabase();
    if (url) {
      migrateDatabase(url);
      results.push(applyChild("postgresql", url, backlog, baselinePushes));
    } else {
      log(`PostgreSQL not reachable at ${PG_ADMIN_URL}: push apply measured on SQLite only`);
    }
  }
  return results;
}

export const PUSH_SECTION = "TrackingMore push handling";

export function pushBenchMarkdown(result: PushBenchResult, apply: ApplyMeasure[], when = new Date()): string {
  const verdict = result.p99Ms <= PUSH_TARGET_P99_MS ? "met" : "missed";
  const sqlite = apply.find((a) => a.provider === "sqlite");
  const applyVerdict = sqlite && sqlite.perSecond >= APPLY_TARGET_PER_SECOND ? "met" : "missed";

  return [
    `**Acknowledged.** ${result.pushes} signed pushes (each a real status change that queues a Shopify event) after 100 ` +
      `warm-up pushes, concurrency ${result.concurrency}, over keep-alive loopback connections (the ingest ` +
      `benchmark's load generator, scripts/lib/load.ts), against \`node ${SERVER_NODE_FLAGS.join(" ")} ` +
      `scripts/serve.mjs\` on SQLite (\`npm run bench -- --only push\`). The webhook fast lane verifies ` +
      `the signature and commits the push (group commit) before its 200. Background jobs run in the web ` +
      `process (the embedded default) and give way to the burst; the apply job then stores the statuses ` +
      `and queues the events (last row: from the end of the run until none is left, in the web process).`,
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
    `**Applied.** The apply stage alone (app/pipeline/push-apply/apply.server.ts) draining a backlog of ` +
      `${apply[0]?.pushes ?? 0} received pushes (each a parcel's first scan: one row and one Shopify event to ` +
      `write), round after round as its job runs them (a round: one claim of up to 100, one read of their ` +
      `trackings, one transaction), in a process of its own per database. Baseline, in the same process ` +
      `and database: ${apply[0]?.baseline.pushes ?? 0} such pushes applied one at a time through ` +
      `applyTrackingSnapshot, as the stage did before it was batched. CPU is the applying process's ` +
      `(on SQLite the database's work too). Target: ≥ ${APPLY_TARGET_PER_SECOND} pushes/s on SQLite: ${applyVerdict}.`,
    "",
    "| database | applied | rounds | pushes/s | CPU a push | baseline pushes/s | baseline CPU a push | speed-up |",
    "|---|---|---|---|---|---|---|---|",
    ...apply.map(
      (a) =>
        `| ${a.provider} | ${a.rowsUpdated} rows, ${a.eventsQueued} events (${a.left} left) in ${a.seconds.toFixed(2)} s | ` +
        `${a.rounds} | ${a.perSecond.toFixed(0)} | ${a.cpuMsPerPush.toFixed(2)} ms | ${a.baseline.perSecond.toFixed(0)} | ` +
        `${a.baseline.cpuMsPerPush.toFixed(2)} ms | ${(a.perSecond / a.baseline.perSecond).toFixed(1)}× |`,
    ),
    "",
    `Machine: ${machineDescription()}. Run ${when.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--measure-apply") {
    const [, provider, url, backlog, baselinePushes, outFile] = argv;
    const measured = await measureApply(provider, url, Number(backlog), Number(baselinePushes));
    writeFileSync(outFile, JSON.stringify(measured, null, 2));
    return 0;
  }
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  const result = await benchPush({
    pushes: value("--pushes"),
    concurrency: value("--concurrency"),
    build: !argv.includes("--no-build"),
  });
  const backlog = value("--backlog") ?? 5_000;
  const apply = await benchPushApply({ backlog, postgres: !argv.includes("--sqlite-only") });
  const markdown = pushBenchMarkdown(result, apply);
  console.log(`## ${PUSH_SECTION}\n\n${markdown}`);
  if (!argv.includes("--no-write")) writeBenchmarkSection(PUSH_SECTION, markdown);
  const correct =
    result.failures === 0 &&
    result.rowsUpdated === result.pushes + 100 &&
    result.eventsQueued === result.pushes + 100 &&
    apply.every((a) => a.rowsUpdated === backlog && a.eventsQueued === backlog && a.left === 0);
  if (!correct) return 1;
  const sqlite = apply.find((a) => a.provider === "sqlite");
  return result.p99Ms <= PUSH_TARGET_P99_MS && sqlite && sqlite.perSecond >= APPLY_TARGET_PER_SECOND ? 0 : 3;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(root, "scripts/bench-push.ts")) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(
        `bench push failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exit(1);
    },
  );
}
