import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TrackingMoreClient, resetRateLimiters } from "../../app/trackingmore";
import { plannedOutcome, startEmulator } from "../../devkit/emulator";
import { signTrackingMorePush } from "../../devkit/trackingmore-wire";
import { raw, setup, type Setup, type WireJson } from "./helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 2, 1, 8);

let env: Setup;
beforeEach(async () => {
  resetRateLimiters();
  env = await setup({ clock: { frozen: true, startAt: START } });
});
afterEach(async () => {
  await env.emulator.close();
});

describe("shipment progress on the emulator clock", () => {
  it("moves pending → notfound → transit → pickup → delivered with checkpoints", async () => {
    const client = env.client();
    await client.createTracking({ trackingNumber: "DLV1000001", carrierCode: "dhl", destinationCode: "US" });
    const at = async (hoursSinceStart: number) => {
      env.emulator.clock.advance(START + hoursSinceStart * HOUR - env.emulator.clock.now());
      return client.getTracking("dhl", "DLV1000001");
    };
    expect((await at(0)).status).toBe("pending");
    expect(await at(1)).toMatchObject({ status: "notfound", substatus: "notfound001" });

    const transit = await at(9);
    expect(transit).toMatchObject({ status: "transit", substatus: "transit001" });
    expect(transit.origin?.itemReceived).toBeInstanceOf(Date);
    expect(transit.checkpoints[0]).toMatchObject({
      description: "Item accepted by carrier",
      checkpointStatus: "transit",
      leg: "origin",
    });
    expect(transit.lastEvent).toContain("Item accepted by carrier");

    // Hour by hour, the status only ever moves forward through the expected stages.
    const seen: string[] = ["pending", "notfound", "transit"];
    for (let hour = 10; hour <= 160; hour += 2) {
      const { status } = await at(hour);
      if (seen[seen.length - 1] !== status) seen.push(status);
    }
    expect(seen).toEqual(["pending", "notfound", "transit", "pickup", "delivered"]);
    const delivered = await at(160);
    expect(delivered).toMatchObject({ status: "delivered", substatus: "delivered001" });
    expect(delivered.checkpoints).toHaveLength(9);
    expect(delivered.checkpoints.map((c) => c.time!.getTime())).toEqual(
      [...delivered.checkpoints.map((c) => c.time!.getTime())].sort((a, b) => b - a),
    );
    expect(delivered.destination?.checkpoints.length).toBeGreaterThan(0);
    expect(delivered.destination?.customsClearance).toBeInstanceOf(Date);
    expect(delivered.transitDays).toBeGreaterThanOrEqual(3);
    expect(delivered.lastUpdateTime?.getTime()).toBe(delivered.checkpoints[0].time?.getTime());
  });

  it.each([
    ["UND1000002", "dhl", 10 * DAY, "undelivered", "undelivered001"],
    ["EXC1000003", "dhl", 10 * DAY, "exception", "exception006"],
    ["EXP1000004", "dhl", 29 * DAY, "transit", "transit002"],
    ["EXP1000004", "dhl", 31 * DAY, "expired", null],
    ["NFD1000005", "dhl", 10 * DAY, "notfound", "notfound002"],
    ["NFD1000006", "china-post", 45 * DAY, "notfound", "notfound002"],
    ["NFD1000006", "china-post", 61 * DAY, "expired", null],
  ])("ends %s (%s) after %i ms as %s/%s", async (number, carrier, elapsed, status, substatus) => {
    const client = env.client();
    await client.createTracking({ trackingNumber: number, carrierCode: carrier });
    env.emulator.clock.advance(elapsed);
    expect(await client.getTracking(carrier, number)).toMatchObject({ status, substatus });
  });

  it("tells the same story for the same number in every emulator", async () => {
    const snapshot = async () => {
      const emulator = await startEmulator({
        accounts: [{ apiKey: "k", email: "e@example.com" }],
        rateLimits: false,
        clock: { frozen: true, startAt: START },
      });
      try {
        const numbers = ["RR123456785CN", "1Z999AA10123456784", "YT1234567890123456"];
        const out: unknown[] = [];
        for (const [i, n] of numbers.entries()) {
          await raw(emulator, "k", "POST", "/trackings/post", {
            tracking_number: n,
            carrier_code: ["china-post", "ups", "yunexpress"][i],
          });
        }
        emulator.clock.advance(3 * DAY);
        out.push((await raw(emulator, "k", "GET", "/trackings/get")).json.data.items);
        return out;
      } finally {
        await emulator.close();
      }
    };
    const first = await snapshot();
    expect(JSON.stringify(first)).toContain("trackinfo");
    expect(await snapshot()).toEqual(first);
  });

  it("mixes outcomes across ordinary numbers, mostly delivered", () => {
    const outcomes = Array.from({ length: 400 }, (_, i) =>
      plannedOutcome("china-post", `RR${String(i).padStart(9, "0")}CN`),
    );
    const delivered = outcomes.filter((o) => o === "delivered").length;
    expect(delivered).toBeGreaterThan(240);
    expect(delivered).toBeLessThan(320);
    expect(new Set(outcomes)).toEqual(
      new Set(["delivered", "undelivered", "exception", "expired", "notfound"]),
    );
  });
});

describe("webhooks", () => {
  async function receiver() {
    const received: { body: WireJson; headers: IncomingMessage["headers"] }[] = [];
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (c) => (text += c));
      req.on("end", () => {
        received.push({ body: JSON.parse(text), headers: req.headers });
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/trackingmore`,
      received,
      close: () => server.close(),
    };
  }

  it("pushes each status change, signed with HMAC-SHA256(email, timeStr)", async () => {
    const hook = await receiver();
    try {
      env.emulator.setWebhookUrl(hook.url, env.apiKey);
      const client = env.client();
      await client.createTracking({ trackingNumber: "DLV2000001", carrierCode: "dhl", title: "包裹" });
      env.emulator.clock.advance(HOUR);
      env.emulator.clock.advance(10 * HOUR);
      env.emulator.clock.advance(10 * HOUR); // still transit: no push
      env.emulator.clock.advance(10 * DAY);
      const deliveries = await env.emulator.flushWebhooks();
      expect(deliveries.map((d) => d.status)).toEqual(["notfound", "transit", "delivered"]);
      expect(deliveries.every((d) => d.httpStatus === 200)).toBe(true);
      expect(hook.received).toHaveLength(3);

      const { body } = hook.received[2];
      expect(body.meta).toEqual({ code: 200, type: "Success", message: "Success" });
      expect(body.data).toMatchObject({ tracking_number: "DLV2000001", status: "delivered", title: "包裹" });
      const { timeStr, signature } = body.verifyInfo;
      expect(timeStr).toMatch(/^\d{10}$/);
      expect(Math.abs(Number(timeStr) - Date.now() / 1000)).toBeLessThan(60);
      expect(signature).toBe(createHmac("sha256", env.email).update(timeStr).digest("hex"));
      expect(signature).toBe(signTrackingMorePush(env.email, timeStr));
      expect(signature).not.toBe(signTrackingMorePush("someone-else@example.com", timeStr));
    } finally {
      hook.close();
    }
  });

  it("pushes manual status changes, and nothing for accounts without a URL", async () => {
    const hook = await receiver();
    try {
      env.emulator.setWebhookUrl(hook.url, env.apiKey);
      env.emulator.addAccount({ apiKey: "tm-test-quiet", email: "quiet@example.com" });
      const client = env.client();
      await client.createTracking({ trackingNumber: "DLV2000002", carrierCode: "dhl" });
      await env
        .client({ apiKey: "tm-test-quiet" })
        .createTracking({ trackingNumber: "DLV2000002", carrierCode: "dhl" });
      await client.updateTracking("dhl", "DLV2000002", { status: 7 });
      await client.updateTracking("dhl", "DLV2000002", { title: "no status change" });
      const deliveries = await env.emulator.flushWebhooks();
      expect(deliveries.map((d) => d.status)).toEqual(["7"]);
      expect(deliveries[0].body.data.status).toBe("7");
      env.emulator.clock.advance(HOUR);
      expect(await env.emulator.flushWebhooks()).toEqual([]); // manual 7 still overrides the carrier
    } finally {
      hook.close();
    }
  });

  it("records failed deliveries", async () => {
    env.emulator.setWebhookUrl("http://127.0.0.1:1/nowhere");
    await env.client().createTracking({ trackingNumber: "DLV2000003", carrierCode: "dhl" });
    env.emulator.clock.advance(HOUR);
    const [delivery] = await env.emulator.flushWebhooks();
    expect(delivery.httpStatus).toBeNull();
    expect(delivery.error).toBeTruthy();
  });
});

describe("wire details", () => {
  it("answers 4001 without a key, 4015 for a non-JSON body, 404 and 405 for wrong routes", async () => {
    const { emulator, apiKey } = env;
    expect((await raw(emulator, null, "GET", "/trackings/getuserinfo")).json.meta.code).toBe(4001);
    const notJson = await raw(emulator, apiKey, "POST", "/trackings/post", "{not json");
    expect(notJson.json.meta.code).toBe(4015);
    expect((await raw(emulator, apiKey, "GET", "/nothing/here")).json.meta.code).toBe(404);
    expect((await raw(emulator, apiKey, "DELETE", "/trackings/batch")).json.meta.code).toBe(405);
  });

  it("writes lenient types as the real API does", async () => {
    const { emulator, apiKey } = env;
    await raw(emulator, apiKey, "POST", "/trackings/post", {
      tracking_number: "DLV3000001",
      carrier_code: "dhl",
    });
    const list = await raw(emulator, apiKey, "GET", "/trackings/get?limit=5000");
    expect(list.json.data.total).toBe("1");
    expect(list.json.data.limit).toBe(2000);
    const [item] = list.json.data.items;
    expect(item.archived).toBe("false");
    expect(item.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(item.order_create_time).toBe(0);
    expect(item.customer_email).toBe("");
  });

  it("accepts archived only as true/false and validates the list status", async () => {
    const { emulator, apiKey } = env;
    await raw(emulator, apiKey, "POST", "/trackings/post", {
      tracking_number: "DLV3000002",
      carrier_code: "dhl",
    });
    expect(
      (await raw(emulator, apiKey, "PUT", "/trackings/dhl/DLV3000002", { archived: "yes" })).json.meta.code,
    ).toBe(4012);
    expect(
      (await raw(emulator, apiKey, "PUT", "/trackings/dhl/DLV3000002", { status: "1" })).json.meta.code,
    ).toBe(4033);
    expect((await raw(emulator, apiKey, "GET", "/trackings/get?status=lost")).json.meta.code).toBe(4033);
  });

  it("handles a benchmark-sized load quickly", async () => {
    const client = env.client();
    const all = Array.from({ length: 2000 }, (_, i) => ({
      trackingNumber: `PERF${String(i).padStart(8, "0")}`,
      carrierCode: "china-post",
    }));
    const started = Date.now();
    const result = await client.batchCreateAll(all);
    expect(result.added).toBe(2000);
    expect((await client.getTracking("china-post", "PERF00001999")).trackingNumber).toBe("PERF00001999");
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("HTTP control endpoints", () => {
  async function control(path: string, body?: unknown) {
    const response = await fetch(`${env.emulator.origin}/__emulator/${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as WireJson };
  }

  it("controls accounts, quota, clock, faults, webhooks and stats from outside", async () => {
    expect(
      (await control("accounts", { apiKey: "tm-test-remote", email: "remote@example.com", quota: 5 })).status,
    ).toBe(200);
    const client = new TrackingMoreClient({
      apiKey: "tm-test-remote",
      baseUrl: env.emulator.baseUrl,
      rateLimits: { defaultPerSecond: 0 },
    });
    expect((await client.getUserInfo()).remainingQuota).toBe(5);
    await control("quota", { apiKey: "tm-test-remote", quota: 1 });
    expect((await client.getUserInfo()).remainingQuota).toBe(1);

    await client.createTracking({ trackingNumber: "DLV4000001", carrierCode: "dhl" });
    const before = (await control("clock")).json.now;
    expect((await control("clock/advance", { ms: 200 * HOUR })).json.now).toBe(before + 200 * HOUR);
    expect((await client.getTracking("dhl", "DLV4000001")).status).toBe("delivered");

    await control("faults", { next: ["503"] });
    await client.getUserInfo();
    const stats = (await control("stats")).json;
    expect(stats.injected["503"]).toBe(1);
    expect(stats.calls["tm-test-remote"]["GET /trackings/getuserinfo"]).toBe(4);

    await control("webhook", { url: "http://127.0.0.1:1/x", apiKey: "tm-test-remote" });
    await client.updateTracking("dhl", "DLV4000001", { status: 7 });
    const flushed = (await control("webhooks/flush", {})).json;
    expect(flushed.deliveries).toHaveLength(1);

    await control("stats/reset", {});
    expect((await control("stats")).json.calls).toEqual({});
    expect((await control("nope", {})).status).toBe(404);
  });
});
