import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "~/db/client.server";
import { PostgresRateGate } from "~/lib/trackingmore-rate-gate.server";
import { trackingMoreClientForKey, trackingMoreRateGate } from "~/trackingmore.server";
import {
  InProcessRateGate,
  TrackingMoreClient,
  TrackingMoreError,
  accountId,
  resetRateLimiters,
  type RateGate,
  type RateLimits,
} from "~/trackingmore";
import { testProvider } from "../support/databases";
import { setup, type Setup } from "../trackingmore/helpers";

// Several gates stand for several processes: on PostgreSQL each has its own connection pool
// and shares nothing with the others but the database; on SQLite (one process) the app's gate
// is the in-process limiter, which every client of the process shares. Either way they call
// one account of the emulator, whose rate limits are on (list 1/s, realtime 3/s, others 5/s).

const provider = testProvider();
const root = path.resolve(__dirname, "../..");

let env: Setup;
const pools: PrismaClient[] = [];

beforeEach(async () => {
  resetRateLimiters();
  env = await setup({ rateLimits: {} });
});
afterEach(async () => {
  await env.emulator.close();
  await Promise.all(pools.splice(0).map((pool) => pool.$disconnect()));
});

/** A gate as a separate process would have it. */
function processGate(limits: RateLimits = {}, options: { abandonedAfterMs?: number } = {}): RateGate {
  if (provider === "sqlite") return new InProcessRateGate(limits);
  const db = createPrismaClient(process.env.DATABASE_URL!);
  pools.push(db);
  return new PostgresRateGate({ db, limits, ...options });
}

function clientThrough(gate: RateGate, retry: { maxAttempts: number; rateLimitPauseMs?: number }) {
  return new TrackingMoreClient({ apiKey: env.apiKey, baseUrl: env.emulator.baseUrl, rateGate: gate, retry });
}

/** Each client runs `callers` loops of calls until `ms` have passed; returns calls made. */
async function hammer(
  clients: TrackingMoreClient[],
  callers: number,
  ms: number,
  call: (c: TrackingMoreClient) => Promise<unknown>,
) {
  const until = Date.now() + ms;
  let made = 0;
  await Promise.all(
    clients.flatMap((client) =>
      Array.from({ length: callers }, async () => {
        while (Date.now() < until) {
          await call(client);
          made++;
        }
      }),
    ),
  );
  return made;
}

describe(`rate gate shared by several ${provider === "postgresql" ? "processes (PostgreSQL)" : "clients (SQLite, one process)"}`, () => {
  it("keeps three gates hammering one account within 5/s: no 429, and the budget used", async () => {
    const clients = [processGate(), processGate(), processGate()].map((gate) =>
      clientThrough(gate, { maxAttempts: 1 }),
    );
    const started = Date.now();
    const made = await hammer(clients, 3, 3_000, (client) => client.getUserInfo());
    const seconds = (Date.now() - started) / 1000;

    expect(env.emulator.stats().rateLimited).toBe(0);
    const received = env.emulator.stats().calls[env.apiKey]["GET /trackings/getuserinfo"];
    expect(received).toBe(made);
    expect(received).toBeLessThanOrEqual(Math.ceil(5 * seconds) + 5);
    // Not one at a time either (a busy machine slows the callers themselves, hence the margin).
    expect(received / seconds).toBeGreaterThan(2);
  });

  it("keeps list calls of three gates to one a second", async () => {
    const clients = [processGate(), processGate(), processGate()].map((gate) =>
      clientThrough(gate, { maxAttempts: 1 }),
    );
    const started = Date.now();
    const made = await hammer(clients, 1, 2_500, (client) => client.listTrackings());
    const seconds = (Date.now() - started) / 1000;
    expect(env.emulator.stats().rateLimited).toBe(0);
    expect(made).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    expect(made).toBeGreaterThanOrEqual(2);
  });

  it("is what the app's clients take their turns through", async () => {
    process.env.TRACKINGMORE_BASE_URL = env.emulator.baseUrl;
    const app = trackingMoreClientForKey(env.apiKey);
    expect(await app.rateLimitedUntil()).toBeNull();
    // A pause another process (or client) wrote is the app client's pause.
    await processGate().pauseAccount(accountId(env.apiKey, env.emulator.baseUrl), 60_000);
    expect(await app.rateLimitedUntil()).not.toBeNull();
    expect(trackingMoreRateGate()).toBeInstanceOf(
      provider === "postgresql" ? PostgresRateGate : InProcessRateGate,
    );
  });

  it("a 429 met through one gate pauses the account for the others", async () => {
    const first = processGate();
    const second = processGate();
    const account = accountId(env.apiKey, env.emulator.baseUrl);
    env.emulator.setFaults({ next: ["429"] });

    const refused = await clientThrough(first, { maxAttempts: 1, rateLimitPauseMs: 1_500 })
      .getUserInfo()
      .catch((error: unknown) => error);
    const refusedAt = Date.now();
    expect(refused).toBeInstanceOf(TrackingMoreError);
    expect((refused as TrackingMoreError).outcome).toBe("rate_limited");

    // The other gate knows, and holds its caller until the pause is over.
    const pausedUntil = await second.pausedUntil(account);
    expect(pausedUntil).not.toBeNull();
    expect(pausedUntil! - refusedAt).toBeGreaterThan(1_000);
    const secondClient = clientThrough(second, { maxAttempts: 1 });
    expect(await secondClient.rateLimitedUntil()).toEqual(new Date(pausedUntil!));
    await secondClient.getUserInfo();
    expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(1_300);
    expect(await second.pausedUntil(account)).toBeNull();

    const stats = env.emulator.stats();
    expect(stats.calls[env.apiKey]["GET /trackings/getuserinfo"]).toBe(2);
    expect(stats.injected["429"]).toBe(1);
    expect(stats.rateLimited).toBe(0);
  });
});

if (provider === "postgresql") {
  describe("PostgreSQL rate gate", () => {
    it("takes the slot of a process that died mid-request as answered once it is abandoned", async () => {
      const limits = { listPerSecond: 1 };
      const account = accountId(env.apiKey, env.emulator.baseUrl);
      const dead = processGate(limits, { abandonedAfterMs: 400 });
      await dead.acquire(account, "list"); // never released: the process died
      const takenAt = Date.now();
      const release = await processGate(limits, { abandonedAfterMs: 400 }).acquire(account, "list");
      await release();
      // Abandoned after 400 ms, then the one-second window (widened by 2 %).
      expect(Date.now() - takenAt).toBeGreaterThanOrEqual(400 + 1_000);
    });

    it("keeps three worker processes on one account within its limits", async () => {
      type Run = { made: number; failed: number; lastAt: number };
      const workers = [1, 2, 3].map(() => {
        const child = spawn(
          process.execPath,
          ["--import", "tsx", "test/lib/trackingmore-rate-gate.worker.ts"],
          {
            cwd: root,
            env: {
              ...process.env,
              TRACKINGMORE_BASE_URL: env.emulator.baseUrl,
              RATE_GATE_API_KEY: env.apiKey,
              RATE_GATE_MS: "4000",
            },
            stdio: ["pipe", "pipe", "inherit"],
          },
        );
        let out = "";
        let markReady!: () => void;
        const ready = new Promise<void>((resolve) => (markReady = resolve));
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.startsWith("ready\n")) markReady();
        });
        const finished = new Promise<Run>((resolve, reject) => {
          child.once("error", reject);
          child.once("exit", (code) =>
            code === 0
              ? resolve(JSON.parse(out.slice("ready\n".length)) as Run)
              : reject(new Error(`worker exited ${code}`)),
          );
        });
        return { child, ready, finished };
      });
      try {
        await Promise.all(workers.map((w) => w.ready));
        const start = Date.now();
        for (const { child } of workers) child.stdin.write(`go ${start}\n`);
        const runs = await Promise.all(workers.map((w) => w.finished));

        const stats = env.emulator.stats();
        expect(runs.every((run) => run.made > 0)).toBe(true);
        expect(runs.reduce((sum, run) => sum + run.failed, 0)).toBe(0);
        expect(stats.rateLimited).toBe(0);
        const received = stats.calls[env.apiKey]["GET /trackings/getuserinfo"];
        expect(received).toBe(runs.reduce((sum, run) => sum + run.made, 0));
        // Callers that looked before the end may be let go after it: count to the last answer.
        const seconds = (Math.max(...runs.map((run) => run.lastAt)) - start) / 1000;
        expect(received).toBeLessThanOrEqual(Math.ceil(5 * seconds) + 5);
        expect(received / seconds).toBeGreaterThan(2);
      } finally {
        for (const { child } of workers) if (child.exitCode === null) child.kill();
      }
    }, 60_000);
  });
}
