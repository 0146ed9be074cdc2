import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_ENCRYPTION_KEY, DEMO_SHOPIFY_API_SECRET } from "../../scripts/lib/app-server";
import {
  DEMO_TRACKINGMORE_EMAIL,
  DEMO_TRACKINGMORE_KEY,
  demoScenario,
} from "../../scripts/lib/demo-deliveries";
import { withDemoRuns } from "../support/demo";

// `npm run demo` with the app server at debug level (its fullest log): the log holds none of the
// secrets the demo uses (session tokens of the admin it opens, the offline access token, the
// TrackingMore key and account email, the app secret, the encryption key) nor any customer's
// name, email or phone from its deliveries. Needs the production build.
const demo = withDemoRuns("demo-log");

describe("the demo's server log at debug level", () => {
  it("holds no token, key, secret or customer data", async () => {
    const db = path.join(demo.workDir(), "demo.sqlite");
    const { code, output } = await demo.run([
      "--exit",
      "--no-build",
      "--port",
      "0",
      "--db",
      db,
      "--emulator",
      demo.emulator().baseUrl,
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
