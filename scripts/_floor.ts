// temp: ack path alone, no background jobs
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import {
  appEnvironment,
  choosePort,
  DEMO_SHOPIFY_API_SECRET,
  migrateDatabase,
  root,
  startAppServer,
} from "./lib/app-server";
import { runLoad } from "./lib/load";
import { sendDelivery } from "./lib/shopify-webhooks";
import { buildLoad } from "./bench-ingest";
async function main() {
  const dir = path.join(root, ".bench/floor");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const url = `file:${dir}/app.sqlite`;
  migrateDatabase(url);
  const port = await choosePort(0);
  const env = appEnvironment({
    port,
    databaseUrl: url,
    trackingMoreBaseUrl: "http://127.0.0.1:1/v2",
    logLevel: process.env.LVL,
    extra: { RUN_WORKER_IN_WEB: process.env.JOBS ?? "false" },
  });
  spawnSync(
    path.join(root, "node_modules/.bin/tsx"),
    ["app/cli/shop.ts", "install", "bench-shop.myshopify.com", "--access-token", "x"],
    { cwd: root, env },
  );
  const app = await startAppServer(env, `${dir}/app.log`);
  const load = buildLoad(5000, "bench-shop.myshopify.com", DEMO_SHOPIFY_API_SECRET);
  const warm = buildLoad(100, "bench-shop.myshopify.com", DEMO_SHOPIFY_API_SECRET, 99).deliveries;
  await runLoad({
    count: warm.length,
    concurrency: 32,
    maxDurationMs: 60000,
    send: (i, a) => sendDelivery(app.url, warm[i], { agent: a }),
  });
  const r = await runLoad({
    count: load.deliveries.length,
    concurrency: 32,
    maxDurationMs: 60000,
    send: (i, a) => sendDelivery(app.url, load.deliveries[i], { agent: a }),
  });
  console.log(
    Math.round(r.throughput),
    "per s; p50",
    r.latencyMs.p50.toFixed(1),
    "p90",
    r.latencyMs.p90.toFixed(1),
    "p99",
    r.latencyMs.p99.toFixed(1),
    "max",
    r.latencyMs.max.toFixed(1),
  );
  await app.stop();
}
void main();
