// The distributed set-up as an operator runs it: one web process (RUN_WORKER_IN_WEB=false) and
// N `npm run worker` processes on one PostgreSQL database, TrackingMore played by the emulator
// in a process of its own with its rate limits on. The multi-process test and the distributed
// benchmark both drive it.
import { mkdirSync } from "node:fs";
import path from "node:path";
import {
  appEnvironment,
  choosePort,
  DEMO_SHOPIFY_API_SECRET,
  startAppServer,
  type AppServer,
} from "./app-server";
import { runLoad, sendDelivery } from "./load";
import {
  emulatorStats,
  runShopCli,
  startEmulatorProcess,
  startWorkerProcess,
  type EmulatorProcess,
} from "./processes";
import { fulfillmentPayload, signDelivery, type SignedDelivery } from "../../devkit/shopify";

export const CLUSTER_SHOP = "cluster-shop.myshopify.com";
export const CLUSTER_API_KEY = "cluster-key";

export interface Cluster {
  app: AppServer;
  emulator: EmulatorProcess;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  databaseUrl: string;
  workers: number;
  logDir: string;
  /** Extra environment for the web and worker processes. */
  env?: Record<string, string>;
}

/** Starts the emulator, installs the shop with its key, then the web and worker processes. */
export async function startCluster({
  databaseUrl,
  workers,
  logDir,
  env: extra = {},
}: ClusterOptions): Promise<Cluster> {
  mkdirSync(logDir, { recursive: true });
  const emulator = await startEmulatorProcess(logDir, [`${CLUSTER_API_KEY}:cluster@example.com:1000000`]);
  let app: AppServer | undefined;
  const started: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    for (const worker of started) await worker.stop();
    await app?.stop();
    await emulator.stop();
  };
  try {
    const env = appEnvironment({
      port: await choosePort(0),
      databaseUrl,
      trackingMoreBaseUrl: emulator.baseUrl,
      logLevel: "warn",
      extra: { RUN_WORKER_IN_WEB: "false", ...extra },
    });
    runShopCli(env, "install", CLUSTER_SHOP, "--access-token", "shpat_cluster");
    runShopCli(env, "set-key", CLUSTER_SHOP, CLUSTER_API_KEY, "--no-verify");
    app = await startAppServer(env, path.join(logDir, "web.log"));
    for (let i = 1; i <= workers; i++)
      started.push(startWorkerProcess(env, path.join(logDir, `worker-${i}.log`)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { app, emulator, stop };
}

/** `count` trackings as fulfillments of `perFulfillment` numbers each, signed as Shopify would. */
export function clusterDeliveries(
  count: number,
  perFulfillment = 5,
): { deliveries: SignedDelivery[]; numbers: string[] } {
  const numbers: string[] = [];
  const deliveries: SignedDelivery[] = [];
  for (let f = 0; numbers.length < count; f++) {
    const mine = Array.from(
      { length: Math.min(perFulfillment, count - numbers.length) },
      (_, i) => `1ZCLU${String(f * perFulfillment + i).padStart(11, "0")}`,
    );
    numbers.push(...mine);
    const body = fulfillmentPayload({
      fulfillmentId: 7_700_000_000 + f,
      orderId: 8_800_000_000_000 + f,
      orderName: `#${20_000 + f}`,
      trackingCompany: "UPS",
      trackingNumbers: mine,
    });
    deliveries.push(
      signDelivery({ topic: "fulfillments/create", shop: CLUSTER_SHOP, body }, DEMO_SHOPIFY_API_SECRET),
    );
  }
  return { deliveries, numbers };
}

/** Sends the deliveries to the web process; throws unless every one was acknowledged. */
export async function deliverAll(app: AppServer, deliveries: SignedDelivery[], concurrency = 16) {
  const result = await runLoad({
    count: deliveries.length,
    concurrency,
    maxDurationMs: 120_000,
    send: (i, agent) => sendDelivery(app.url, deliveries[i], { agent }),
  });
  if (result.acknowledged !== deliveries.length)
    throw new Error(`only ${result.acknowledged} of ${deliveries.length} deliveries were acknowledged`);
}

export interface CreateCounts {
  /** Items TrackingMore handled more than once (a create sent twice). */
  duplicateItems: number;
  /** Expected numbers TrackingMore never received. */
  missing: number;
  createCalls: number;
  genuine429s: number;
  injected: Record<string, number>;
}

/** What the emulator saw of the account's creates. */
export async function createCounts(emulator: EmulatorProcess, numbers: string[]): Promise<CreateCounts> {
  const stats = await emulatorStats(emulator.origin);
  const sent = stats.createItemsSent[CLUSTER_API_KEY] ?? {};
  const calls = stats.calls[CLUSTER_API_KEY] ?? {};
  return {
    duplicateItems: Object.values(sent).filter((n) => n > 1).length,
    missing: numbers.filter((n) => !sent[`ups/${n}`]).length,
    createCalls: (calls["POST /trackings/batch"] ?? 0) + (calls["POST /trackings/post"] ?? 0),
    genuine429s: stats.rateLimited,
    injected: stats.injected,
  };
}
