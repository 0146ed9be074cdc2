// `npm run bench -- --only distributed`: the scale-out set-up of issue 10. One web process
// (RUN_WORKER_IN_WEB=false) and 1, 2 and 4 `npm run worker` processes on a fresh PostgreSQL
// database each, TrackingMore played by the emulator with its rate limits on (5 calls/s on the
// batch endpoint). 5,000 trackings arrive as signed deliveries; measured: the time until every
// one is created at TrackingMore against the rate-limit minimum (125 batch calls at 5/s), the
// create calls per 1,000 trackings, items sent twice, items lost and 429s.
//
//   npm run bench -- --only distributed [--trackings 5000] [--workers 1,2,4] [--no-write]
import path from "node:path";
import pg from "pg";
import { ensureBuild, migrateDatabase, root } from "./lib/app-server";
import { machineDescription, writeBenchmarkSection } from "./lib/bench-report";
import { CLUSTER_SHOP, clusterDeliveries, createCounts, deliverAll, startCluster } from "./lib/cluster";

const SECTION = "Distributed dispatch (PostgreSQL, several workers)";
const BATCH_SIZE = 40;
const CREATE_RATE = 5;
const TARGETS = { drainRatio: 1.2, createCallsPer1000: 26 };
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

function argList(args: string[], name: string, fallback: number[]): number[] {
  const i = args.indexOf(name);
  return i < 0
    ? fallback
    : (args[i + 1] ?? "")
        .split(",")
        .map(Number)
        .filter((n) => n > 0);
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function syncedCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT COUNT(*)::int AS n FROM "Tracking" WHERE "shop" = $1 AND "syncState" = 'synced'`,
      [CLUSTER_SHOP],
    );
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

interface Run {
  workers: number;
  drainSeconds: number;
  ratio: number;
  createCallsPer1000: number;
  duplicateItems: number;
  missing: number;
  genuine429s: number;
}

async function runOnce(workers: number, trackings: number): Promise<Run> {
  const database = `tb_bench_distributed_${workers}_${process.pid}`;
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  await withAdmin((c) => c.query(`CREATE DATABASE "${database}"`));
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  try {
    migrateDatabase(databaseUrl);
    const cluster = await startCluster({
      databaseUrl,
      workers,
      logDir: path.join(root, ".bench", `distributed-${workers}`),
    });
    try {
      const { deliveries, numbers } = clusterDeliveries(trackings);
      const started = performance.now();
      await deliverAll(cluster.app, deliveries);
      const deadline = started + 600_000;
      while ((await syncedCount(databaseUrl)) < trackings && performance.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 250));
      const drainSeconds = (performance.now() - started) / 1000;
      const counts = await createCounts(cluster.emulator, numbers);
      const minimum = Math.ceil(trackings / BATCH_SIZE) / CREATE_RATE;
      return {
        workers,
        drainSeconds,
        ratio: drainSeconds / minimum,
        createCallsPer1000: (counts.createCalls / trackings) * 1000,
        duplicateItems: counts.duplicateItems,
        missing: counts.missing,
        genuine429s: counts.genuine429s,
      };
    } finally {
      await cluster.stop();
    }
  } finally {
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  }
}

export async function runDistributedBenchmark(args: string[]): Promise<{ allTargetsMet: boolean }> {
  const trackings = argList(args, "--trackings", [5_000])[0];
  const workerCounts = argList(args, "--workers", [1, 2, 4]);
  const log = (line: string) => console.log(`[bench distributed] ${line}`);
  const machine = machineDescription();
  if (!args.includes("--no-build")) ensureBuild(log);
  const runs: Run[] = [];
  for (const workers of workerCounts) {
    log(`${workers} worker(s), ${trackings} trackings…`);
    const run = await runOnce(workers, trackings);
    log(JSON.stringify(run));
    runs.push(run);
  }
  const minimum = Math.ceil(trackings / BATCH_SIZE) / CREATE_RATE;
  const met = (run: Run) =>
    run.ratio <= TARGETS.drainRatio &&
    run.createCallsPer1000 <= TARGETS.createCallsPer1000 &&
    run.duplicateItems === 0 &&
    run.missing === 0 &&
    run.genuine429s === 0;
  const allTargetsMet = runs.every(met);
  const markdown = [
    `Measured ${new Date().toISOString()} on ${machine}.`,
    "",
    `${trackings} trackings (fulfillments of 5 UPS numbers) into one web process; 1, 2 and 4 \`npm run worker\` processes on a fresh PostgreSQL database each; the emulator in its own process with TrackingMore's limits (batch create 5 calls/s, 40 items a call). Baseline: the rate-limit minimum, ${Math.ceil(trackings / BATCH_SIZE)} calls at 5/s = ${minimum} s. Drain: from the first delivery sent until every tracking is synced. Targets: drain ≤ ${TARGETS.drainRatio}× the minimum, ≤ ${TARGETS.createCallsPer1000} create calls per 1,000 trackings, 0 items sent twice, 0 lost, 0 × 429.`,
    "",
    "| workers | drain (s) | × minimum | create calls / 1,000 | items sent twice | lost | 429s | targets |",
    "|---|---|---|---|---|---|---|---|",
    ...runs.map(
      (r) =>
        `| ${r.workers} | ${r.drainSeconds.toFixed(1)} | ${r.ratio.toFixed(2)} | ${r.createCallsPer1000.toFixed(1)} | ${r.duplicateItems} | ${r.missing} | ${r.genuine429s} | ${met(r) ? "met" : "missed"} |`,
    ),
  ].join("\n");
  console.log(markdown);
  if (!args.includes("--no-write")) {
    writeBenchmarkSection(SECTION, markdown);
    log("written to BENCHMARKS.md");
  }
  return { allTargetsMet };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(root, "scripts/bench-distributed.ts")) {
  runDistributedBenchmark(process.argv.slice(2))
    .then(({ allTargetsMet }) => process.exit(allTargetsMet ? 0 : 3))
    .catch((error: unknown) => {
      console.error(
        `bench distributed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exit(1);
    });
}
