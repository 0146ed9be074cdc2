import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, runShopCommand } from "~/cli/shop";
import {
  getShopSettings,
  readTrackingMoreAccountEmail,
  readTrackingMoreApiKey,
} from "~/models/settings.server";
import { startEmulator, type EmulatorHandle } from "../../devkit/emulator";

const SHOP = "cli-shop.myshopify.com";

function captureIO() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

async function run(...argv: string[]) {
  const { io, out, err } = captureIO();
  const code = await runShopCommand(argv, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

let emulator: EmulatorHandle;
const previousBaseUrl = process.env.TRACKINGMORE_BASE_URL;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    accounts: [{ apiKey: "good-key-1234", email: "ops@example.com" }],
  });
  process.env.TRACKINGMORE_BASE_URL = emulator.baseUrl;
});
afterAll(async () => {
  process.env.TRACKINGMORE_BASE_URL = previousBaseUrl;
  await emulator.close();
});

describe("npm run shop -- install", () => {
  it("records the offline session token exchange would, and the shop as installed", async () => {
    const result = await run("install", SHOP, "--access-token", "shpat_real_token");
    expect(result.code).toBe(EXIT_OK);
    const session = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } });
    expect(session).toMatchObject({ shop: SHOP, isOnline: false, accessToken: "shpat_real_token" });
    expect(session.scope).toBe(process.env.SCOPES);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    expect(shop.uninstalledAt).toBeNull();
  });

  it("re-links an uninstalled shop and stores a placeholder token when none is given", async () => {
    const shop = "relink.myshopify.com";
    await prisma.shop.create({ data: { domain: shop, uninstalledAt: new Date() } });
    const result = await run("install", shop);
    expect(result.code).toBe(EXIT_OK);
    expect(result.out).toContain("placeholder");
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeNull();
    const session = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } });
    expect(session.accessToken).toMatch(/^shpat_placeholder_/);
  });

  it("refuses something that is not a shop domain", async () => {
    const result = await run("install", "https://evil.example.com");
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.err).toContain("is not a shop domain");
    expect(await prisma.session.count({ where: { shop: { contains: "evil" } } })).toBe(0);
  });
});

describe("npm run shop -- set-key", () => {
  it("checks the key with TrackingMore, stores it encrypted and releases trackings waiting for it", async () => {
    await run("install", SHOP);
    await prisma.tracking.create({
      data: {
        shop: SHOP,
        orderId: "1",
        trackingNumber: "1ZWAITING0000000001",
        carrierCode: "ups",
        syncState: "waiting_api_key",
      },
    });
    const result = await run("set-key", SHOP, "good-key-1234");
    expect(result.code).toBe(EXIT_OK);
    expect(result.out).toContain("ops@example.com");
    expect(result.out).not.toContain("good-key-1234");
    expect(await readTrackingMoreApiKey(SHOP)).toBe("good-key-1234");
    const row = await prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(row.trackingMoreApiKeyCipher).not.toContain("good-key-1234");
    const tracking = await prisma.tracking.findFirstOrThrow({
      where: { shop: SHOP, trackingNumber: "1ZWAITING0000000001" },
    });
    expect(tracking.syncState).toBe("pending");
    expect(emulator.stats().calls["good-key-1234"]["GET /trackings/getuserinfo"]).toBeGreaterThanOrEqual(1);
  });

  it("saves nothing when TrackingMore refuses the key", async () => {
    const shop = "refused.myshopify.com";
    await run("install", shop);
    const result = await run("set-key", shop, "no-such-key");
    expect(result.code).toBe(EXIT_FAILED);
    expect(result.err).toContain("refused the key");
    expect(await readTrackingMoreApiKey(shop)).toBeNull();
  });

  it("skips the check with --no-verify", async () => {
    const shop = "offline-ops.myshopify.com";
    await run("install", shop);
    emulator.resetStats();
    const result = await run("set-key", shop, "unchecked-key-9876", "--no-verify");
    expect(result.code).toBe(EXIT_OK);
    expect(await readTrackingMoreApiKey(shop)).toBe("unchecked-key-9876");
    expect(emulator.stats().calls["unchecked-key-9876"]).toBeUndefined();
  });

  it("refuses a shop that was never installed and a missing key", async () => {
    const unknown = await run("set-key", "never-installed.myshopify.com", "good-key-1234");
    expect(unknown.code).toBe(EXIT_FAILED);
    expect(unknown.err).toContain("is not installed");
    expect(await readTrackingMoreApiKey("never-installed.myshopify.com")).toBeNull();
    const missing = await run("set-key", SHOP);
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.err).toContain("set-key <shop> <apiKey>");
  });
});

describe("npm run shop -- set-email", () => {
  it("stores the account email encrypted and refuses something that is not an email", async () => {
    await run("install", SHOP);
    expect((await run("set-email", SHOP, "not-an-email")).code).toBe(EXIT_USAGE);
    expect(await readTrackingMoreAccountEmail(SHOP)).toBeNull();
    expect((await run("set-email", SHOP, "ops@example.com")).code).toBe(EXIT_OK);
    expect(await readTrackingMoreAccountEmail(SHOP)).toBe("ops@example.com");
  });
});

describe("npm run shop -- set", () => {
  it("changes every option", async () => {
    const shop = "options.myshopify.com";
    await run("install", shop);
    const result = await run(
      "set",
      shop,
      "createOnFulfillment=false",
      "orderIdFormat=id",
      "titleTemplate={{first_item}} and more",
      "cancelledFulfillmentAction=delete",
      "writeBackEnabled=no",
    );
    expect(result.code).toBe(EXIT_OK);
    expect(await getShopSettings(shop)).toMatchObject({
      createOnFulfillment: false,
      orderIdFormat: "id",
      titleTemplate: "{{first_item}} and more",
      cancelledFulfillmentAction: "delete",
      writeBackEnabled: false,
    });
  });

  it("changes nothing when any assignment is wrong", async () => {
    const shop = "bad-options.myshopify.com";
    await run("install", shop);
    for (const bad of [
      "orderIdFormat=number",
      "cancelledFulfillmentAction=burn",
      "createOnFulfillment=maybe",
      "colour=red",
      "orderIdFormat",
      "titleTemplate= ",
    ]) {
      const result = await run("set", shop, "writeBackEnabled=false", bad);
      expect(result.code, bad).toBe(EXIT_USAGE);
      expect(result.err, bad).not.toBe("");
    }
    expect(await prisma.shopSettings.findUnique({ where: { shop } })).toBeNull();
  });
});

describe("npm run shop -- show", () => {
  it("shows the settings with only the key's hint, and the trackings per sync state", async () => {
    const shop = "show.myshopify.com";
    await run("install", shop);
    await run("set-key", shop, "good-key-1234");
    const states = ["synced", "synced", "needs_carrier", "pending"];
    await prisma.tracking.createMany({
      data: states.map((syncState, i) => ({
        shop,
        orderId: "9",
        trackingNumber: `N${i}`,
        carrierCode: "ups",
        syncState,
      })),
    });
    // Another shop's trackings are not counted.
    await prisma.tracking.create({
      data: { shop: SHOP, orderId: "9", trackingNumber: "OTHER", carrierCode: "ups", syncState: "synced" },
    });
    await prisma.fulfillment.create({
      data: { shop, fulfillmentId: "77", orderId: "9", note: "no tracking number" },
    });

    const text = await run("show", shop);
    expect(text.code).toBe(EXIT_OK);
    expect(text.out).not.toContain("good-key-1234");
    expect(text.out).toContain("1234");
    expect(text.out).toContain("needs_carrier 1, pending 1, synced 2");
    expect(text.out).toMatch(/fulfillments without number 1/);

    const json = await run("show", shop, "--json");
    expect(json.out).not.toContain("good-key-1234");
    expect(JSON.parse(json.out)).toMatchObject({
      shop,
      installed: true,
      settings: { hasApiKey: true },
      trackingsBySyncState: { synced: 2, needs_carrier: 1, pending: 1 },
      fulfillmentsWithoutNumber: 1,
    });
  });

  it("answers an unknown shop with an error", async () => {
    const result = await run("show", "unknown.myshopify.com");
    expect(result.code).toBe(EXIT_FAILED);
    expect(result.err).toContain("is not installed");
  });
});

describe("npm run shop -- dead-letters and retry", () => {
  it("lists the shop's dead letters with reasons and puts them back in their queues", async () => {
    const shop = "cli-dead.myshopify.com";
    expect((await run("install", shop)).code).toBe(EXIT_OK);
    const tracking = await prisma.tracking.create({
      data: {
        shop,
        orderId: "1",
        trackingNumber: "CLI-DEAD-1",
        carrierCode: "usps",
        deadAt: new Date(),
        attempts: 12,
        lastError: "TrackingMore is not reachable right now (timeout); retrying automatically",
      },
    });
    await prisma.webhookDelivery.create({
      data: {
        webhookId: "cli-dead-delivery",
        shop,
        topic: "orders/fulfilled",
        deadAt: new Date(),
        lastError: "fulfillments.0.tracking_numbers: expected an array",
      },
    });

    const listed = await run("dead-letters", shop);
    expect(listed.code).toBe(EXIT_OK);
    expect(listed.out).toMatch(/dispatch\s+\S+\s+CLI-DEAD-1\s+\(12 attempts\)/);
    expect(listed.out).toMatch(/expected an array/);
    const json = JSON.parse((await run("dead-letters", shop, "--json")).out) as { stage: string }[];
    expect(json.map((l) => l.stage).sort()).toEqual(["dispatch", "ingest"]);

    expect((await run("retry", shop, "--stage", "nowhere")).code).toBe(EXIT_USAGE);
    expect((await run("retry", shop, "--stage", "dispatch")).out).toMatch(/1 dead letter back/);
    expect(await prisma.tracking.findUniqueOrThrow({ where: { id: tracking.id } })).toMatchObject({
      deadAt: null,
      attempts: 0,
      lastError: null,
    });
    expect((await run("retry", shop)).out).toMatch(/1 dead letter back/);
    expect((await run("dead-letters", shop)).out).toMatch(/nothing dead-lettered/);
  });
});

describe("npm run shop -- help and mistakes", () => {
  it("prints the usage for help and exits non-zero without a command or with an unknown one", async () => {
    const help = await run("help");
    expect(help.code).toBe(EXIT_OK);
    expect(help.out).toContain("set-key <shop> <apiKey>");
    expect((await run()).code).toBe(EXIT_USAGE);
    const unknown = await run("frobnicate");
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.err).toContain('unknown command "frobnicate"');
    const option = await run("show", SHOP, "--verbose");
    expect(option.code).toBe(EXIT_USAGE);
    expect(option.err).toContain("unknown option --verbose");
  });
});
