import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ENCRYPTION_KEY, DEMO_SHOPIFY_API_SECRET } from "../../scripts/lib/app-server";
import {
  DEMO_TRACKINGMORE_EMAIL,
  DEMO_TRACKINGMORE_KEY,
  demoScenario,
} from "../../scripts/lib/demo-deliveries";
import { startEmulator, type EmulatorHandle } from "../../devkit/emulator";

// `npm run demo` with the app server at debug level (its fullest log): the log holds none of the
// secrets the demo uses (session tokens of the admin it opens, the offline access token, the
// TrackingMore key and account email, the app secret, the encryption key) nor any customer's
// name, email or phone from its deliveries. Needs the production build.
const root = path.resolve(__dirname, "../..");
let emulator: EmulatorHandle;
let workDir: string;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    accounts: [{ apiKey: DEMO_TRACKINGMORE_KEY, email: DEMO_TRACKINGMORE_EMAIL }],
    rateLimits: { listPerSecond: 0 },
  });
  workDir = mkdtempSync(path.join(tmpdir(), "trackbridge-demo-log-"));
});
afterAll(async () => {
  await emulator.close();
  rmSync(workDir, { recursive: true, force: true });
});

function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/demo.ts", ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production" },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const killer = setTimeout(() => child.kill("SIGKILL"), 110_000);
    child.on("exit", (code) => {
      clearTimeout(killer);
      resolve({ code, output });
    });
  });
}

describe("the demo's server log at debug level", () => {
  it("holds no token, key, secret or customer data", async () => {
    const db = path.join(workDir, "demo.sqlite");
    const { code, output } = await runDemo([
      "--exit",
      "--no-build",
      "--port",
      "0",
      "--db",
      db,
      "--emulator",
      emulator.baseUrl,
      "--log-level",
      "debug",
    ]);
    expect(code, output).toBe(0);
    const log = readFileSync(`${db}.server.log`, "utf8");
    expect(log).toMatch(/"level":20/);
    expect(log).toMatch(/Attempting to authenticate session token/); // the admin was opened

    const customers = demoScenario(DEMO_SHOPIFY_API_SECRET).final.flatMap((t) =>
      [t.customerName, t.customerEmail, t.customerPhone].filter((v): v is string => Boolean(v)),
    );
    const secrets: Record<string, string> = {
      "offline access token": "shpat_demo_offline_token",
      "TrackingMore API key": `"${DEMO_TRACKINGMORE_KEY}"`,
      "TrackingMore account email": DEMO_TRACKINGMORE_EMAIL,
      "app secret": DEMO_SHOPIFY_API_SECRET,
      "encryption key": DEMO_ENCRYPTION_KEY,
      ...Object.fromEntries(customers.map((value) => [`customer data ${value}`, value])),
    };
    const leaked = Object.entries(secrets)
      .filter(([, value]) => log.toLowerCase().includes(value.toLowerCase()))
      .map(([what]) => what);
    expect(leaked).toEqual([]);
    expect(log.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? []).toEqual([]);
  }, 120_000);
});
