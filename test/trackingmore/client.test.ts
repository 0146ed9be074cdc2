import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  TrackingMoreError,
  resetRateLimiters,
  type CreateTrackingInput,
  type ManualStatus,
} from "../../app/trackingmore";
import { ADDED_SINCE_SNAPSHOT } from "../../devkit/emulator/carriers";
import { calls, raw, setup, type Setup } from "./helpers";

let env: Setup;
beforeEach(async () => {
  resetRateLimiters();
  env = await setup({ clock: { frozen: true, startAt: Date.UTC(2026, 0, 5, 12) } });
});
afterEach(async () => {
  await env.emulator.close();
});

const HOUR = 3_600_000;

async function rejection(promise: Promise<unknown>): Promise<TrackingMoreError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TrackingMoreError);
  return error as TrackingMoreError;
}

function items(count: number, prefix = "BULK"): CreateTrackingInput[] {
  return Array.from({ length: count }, (_, i) => ({
    trackingNumber: `${prefix}${String(i).padStart(6, "0")}`,
    carrierCode: "yunexpress",
    orderId: `order-${i}`,
  }));
}

describe("single trackings", () => {
  it("creates a tracking and reads it back in camelCase, non-ASCII intact", async () => {
    const client = env.client();
    const created = await client.createTracking({
      trackingNumber: "YT1234567890123456",
      carrierCode: "yunexpress",
      title: "蓝色连衣裙 – Größe M",
      customerEmail: "ana@example.com",
      orderId: "#1001",
      destinationCode: "DE",
      orderCreateTime: new Date(Date.UTC(2026, 0, 4)),
    });
    expect(created).toMatchObject({
      trackingNumber: "YT1234567890123456",
      carrierCode: "yunexpress",
      status: "pending",
      manualStatus: null,
      title: "蓝色连衣裙 – Größe M",
      customerEmail: "ana@example.com",
      customerEmails: ["ana@example.com"],
      orderId: "#1001",
      destinationCode: "DE",
      archived: false,
      checkpoints: [],
    });
    expect(created.id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.createdAt?.getTime()).toBe(Date.UTC(2026, 0, 5, 12));
    expect(created.orderCreateTime?.getTime()).toBe(Date.UTC(2026, 0, 4));

    const read = await env.client().getTracking("yunexpress", "YT1234567890123456");
    expect(read.title).toBe("蓝色连衣裙 – Größe M");
    expect(read.id).toBe(created.id);
  });

  it("answers 4016 for a second create and does not retry it", async () => {
    const client = env.client();
    await client.createTracking({ trackingNumber: "SF123456789012", carrierCode: "sf-express" });
    const error = await rejection(
      client.createTracking({ trackingNumber: "SF123456789012", carrierCode: "sf-express" }),
    );
    expect(error).toMatchObject({ code: 4016, retryable: false, endpoint: "POST /trackings/post" });
    expect(calls(env.emulator, env.apiKey, "POST /trackings/post")).toBe(2);
  });

  it.each([
    [{ trackingNumber: "", carrierCode: "ups" }, 4013],
    [{ trackingNumber: "bad number!", carrierCode: "ups" }, 4014],
    [{ trackingNumber: "1Z999AA10123456784", carrierCode: "no-such-carrier" }, 4015],
    [{ trackingNumber: "1Z999AA10123456784", carrierCode: "", destinationCode: "US" }, 4012],
    [{ trackingNumber: "1Z999AA10123456784", carrierCode: "ups", destinationCode: "USA" }, 4012],
  ])("rejects invalid create input %o with %i, once", async (input, code) => {
    const error = await rejection(env.client().createTracking(input));
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(false);
    expect(calls(env.emulator, env.apiKey, "POST /trackings/post")).toBe(1);
  });

  it("answers 4031 for a GET of a never-created number and 4017 for PUT/DELETE", async () => {
    const client = env.client();
    expect((await rejection(client.getTracking("ups", "1Z999AA10123456784"))).code).toBe(4031);
    expect((await rejection(client.updateTracking("ups", "1Z999AA10123456784", { title: "x" }))).code).toBe(
      4017,
    );
    expect((await rejection(client.deleteTracking("ups", "1Z999AA10123456784"))).code).toBe(4017);
  });

  it("deletes a tracking", async () => {
    const client = env.client();
    await client.createTracking({ trackingNumber: "LP00123456789012", carrierCode: "cainiao" });
    await client.deleteTracking("cainiao", "LP00123456789012");
    expect((await rejection(client.getTracking("cainiao", "LP00123456789012"))).code).toBe(4031);
  });

  it("rejects unknown and deleted keys with 4001/4002 without retrying", async () => {
    const stranger = env.client({ apiKey: "tm-test-unknown-key" });
    const error = await rejection(stranger.getUserInfo());
    expect(error).toMatchObject({ code: 4001, httpStatus: 401, retryable: false, type: "Unauthorized" });
    expect(calls(env.emulator, "tm-test-unknown-key", "GET /trackings/getuserinfo")).toBe(1);

    env.emulator.deleteAccount(env.apiKey);
    expect((await rejection(env.client().getUserInfo())).code).toBe(4002);
  });

  it("keeps accounts isolated", async () => {
    env.emulator.addAccount({ apiKey: "tm-test-other", email: "other@example.com" });
    await env.client().createTracking({ trackingNumber: "DLV0000001", carrierCode: "dhl" });
    const other = env.client({ apiKey: "tm-test-other" });
    expect((await rejection(other.getTracking("dhl", "DLV0000001"))).code).toBe(4031);
    await other.createTracking({ trackingNumber: "DLV0000001", carrierCode: "dhl" });
    expect((await other.listTrackings()).total).toBe(1);
  });
});

describe("updates", () => {
  it("round-trips the seed PUT example exactly", async () => {
    const client = env.client();
    await client.createTracking({ trackingNumber: "402934299065", carrierCode: "sto" });
    const seed = {
      title: "new title",
      logistics_channel: "4PX挂号小包",
      customer_name: "sandy",
      customer_email: "sandy@example.com",
      customer_phone: "+86123456789",
      order_id: "986574521568",
      destination_code: "CN",
      archived: "true",
      status: 7,
    };
    const put = await raw(env.emulator, env.apiKey, "PUT", "/trackings/sto/402934299065", seed);
    expect(put.json.meta.code).toBe(200);
    const { status, ...echoed } = seed;
    expect(put.json.data).toMatchObject({
      ...echoed,
      status: "7",
      tracking_number: "402934299065",
      carrier_code: "sto",
    });
    expect(status).toBe(7);

    const got = await raw(env.emulator, env.apiKey, "GET", "/trackings/sto/402934299065");
    expect(got.json.data).toMatchObject({ ...echoed, status: "7" });

    const parsed = await client.getTracking("sto", "402934299065");
    expect(parsed).toMatchObject({
      title: "new title",
      logisticsChannel: "4PX挂号小包",
      customerName: "sandy",
      customerEmail: "sandy@example.com",
      customerPhone: "+86123456789",
      orderId: "986574521568",
      destinationCode: "CN",
      archived: true,
      status: "exception",
      manualStatus: 7,
    });
  });

  it("applies manual 4, restores the carrier's status with 8 and rejects others with 4033", async () => {
    const client = env.client();
    await client.createTracking({ trackingNumber: "DLV0000002", carrierCode: "dhl" });
    env.emulator.clock.advance(10 * HOUR);
    const delivered = await client.updateTracking("dhl", "DLV0000002", { status: 4, archived: false });
    expect(delivered).toMatchObject({ status: "delivered", manualStatus: 4, archived: false });
    const restored = await client.updateTracking("dhl", "DLV0000002", { status: 8 });
    expect(restored).toMatchObject({ status: "transit", manualStatus: null });
    const error = await rejection(client.updateTracking("dhl", "DLV0000002", { status: 5 as ManualStatus }));
    expect(error.code).toBe(4033);
    expect(calls(env.emulator, env.apiKey, "PUT /trackings/{carrier}/{number}")).toBe(3);
  });

  it("changes the carrier of a tracking", async () => {
    const client = env.client();
    await client.createTracking({ trackingNumber: "RR123456789CN", carrierCode: "china-post" });
    await client.changeCarrier({ trackingNumber: "RR123456789CN", carrierCode: "china-post" }, "cainiao");
    expect((await client.getTracking("cainiao", "RR123456789CN")).carrierCode).toBe("cainiao");
    expect((await rejection(client.getTracking("china-post", "RR123456789CN"))).code).toBe(4031);
    const bad = await rejection(
      client.changeCarrier({ trackingNumber: "RR123456789CN", carrierCode: "cainiao" }, "nope"),
    );
    expect(bad.code).toBe(4015);
  });

  it("stops updating: the story freezes and trackUpdate turns false", async () => {
    const client = env.client();
    await client.createTracking({ trackingNumber: "DLV0000003", carrierCode: "dhl" });
    env.emulator.clock.advance(10 * HOUR);
    const result = await client.stopUpdating([
      { trackingNumber: "DLV0000003", carrierCode: "dhl" },
      { trackingNumber: "DLV9999999", carrierCode: "dhl" },
    ]);
    expect(result.succeeded).toEqual([{ trackingNumber: "DLV0000003", carrierCode: "dhl" }]);
    expect(result.errors).toEqual([
      { trackingNumber: "DLV9999999", carrierCode: "dhl", code: 4017, message: expect.any(String) },
    ]);
    env.emulator.clock.advance(30 * 24 * HOUR);
    const frozen = await client.getTracking("dhl", "DLV0000003");
    expect(frozen).toMatchObject({ status: "transit", trackUpdate: false });
  });
});

describe("batches", () => {
  it("reports partial success item by item", async () => {
    const client = env.client();
    await client.createTracking({ trackingNumber: "YT0000000000000001", carrierCode: "yunexpress" });
    const result = await client.batchCreate([
      { trackingNumber: "YT0000000000000001", carrierCode: "yunexpress" },
      { trackingNumber: "YT0000000000000002", carrierCode: "yunexpress", title: "ok" },
      { trackingNumber: "YT0000000000000003", carrierCode: "not-a-carrier" },
    ]);
    expect(result).toMatchObject({ submitted: 3, added: 1 });
    expect(result.trackings.map((t) => t.trackingNumber)).toEqual(["YT0000000000000002"]);
    expect(result.errors).toEqual([
      {
        trackingNumber: "YT0000000000000001",
        carrierCode: "yunexpress",
        code: 4016,
        message: expect.any(String),
      },
      {
        trackingNumber: "YT0000000000000003",
        carrierCode: "not-a-carrier",
        code: 4015,
        message: expect.any(String),
      },
    ]);
  });

  it("refuses more than 40 items: the client before sending, the API with 4020 and nothing created", async () => {
    const error = await rejection(env.client().batchCreate(items(41)));
    expect(error.code).toBe(4020);
    expect(calls(env.emulator, env.apiKey, "POST /trackings/batch")).toBe(0);

    const wire = items(41).map((i) => ({ tracking_number: i.trackingNumber, carrier_code: i.carrierCode }));
    const answer = await raw(env.emulator, env.apiKey, "POST", "/trackings/batch", wire);
    expect(answer.json.meta.code).toBe(4020);
    expect((await env.client().listTrackings()).total).toBe(0);
  });

  it("chunks 100 creates into 3 calls and merges the per-item results", async () => {
    const client = env.client();
    const all = items(100);
    await client.createTracking(all[5]);
    await client.createTracking(all[77]);
    const result = await client.batchCreateAll(all);
    expect(calls(env.emulator, env.apiKey, "POST /trackings/batch")).toBe(3);
    expect(result.submitted).toBe(100);
    expect(result.added).toBe(98);
    expect(result.trackings).toHaveLength(98);
    expect(result.errors.map((e) => [e.trackingNumber, e.code])).toEqual([
      [all[5].trackingNumber, 4016],
      [all[77].trackingNumber, 4016],
    ]);
    expect((await client.listTrackings({ limit: 2000 })).total).toBe(100);
  });

  it("updates and deletes many in chunks, failing unknown items individually", async () => {
    const client = env.client();
    const all = items(90);
    await client.batchCreateAll(all);
    const refs = [...all, { trackingNumber: "NOPE000001", carrierCode: "yunexpress" }];

    const updated = await client.updateManyAll(refs.map((r) => ({ ...r, archived: true, title: "bulk" })));
    expect(calls(env.emulator, env.apiKey, "POST /trackings/updatemore")).toBe(3);
    expect(updated.succeeded).toHaveLength(90);
    expect(updated.errors).toEqual([
      { trackingNumber: "NOPE000001", carrierCode: "yunexpress", code: 4017, message: expect.any(String) },
    ]);
    expect((await client.getTracking("yunexpress", all[42].trackingNumber)).archived).toBe(true);

    const deleted = await client.deleteManyAll(refs);
    expect(calls(env.emulator, env.apiKey, "POST /trackings/delete")).toBe(3);
    expect(deleted.submitted).toBe(91);
    expect(deleted.succeeded).toHaveLength(90);
    expect(deleted.errors.map((e) => e.code)).toEqual([4017]);
    expect((await client.listTrackings()).total).toBe(0);
  });

  it("turns a whole failed chunk into per-item errors", async () => {
    const client = env.client();
    env.emulator.setQuota(env.apiKey, 0);
    const result = await client.batchCreateAll(items(45));
    expect(result.added).toBe(0);
    expect(result.errors).toHaveLength(45);
    expect(new Set(result.errors.map((e) => e.code))).toEqual(new Set([4021]));
  });
});

describe("quota", () => {
  it("decrements per created tracking and fails beyond it with 4021 (HTTP 200), creating nothing", async () => {
    const client = env.client();
    env.emulator.setQuota(env.apiKey, 3);
    await client.createTracking({ trackingNumber: "DLV0000010", carrierCode: "dhl" });
    expect((await client.getUserInfo()).remainingQuota).toBe(2);

    const batch = await client.batchCreate(items(4, "QUOTA"));
    expect(batch.added).toBe(2);
    expect(batch.errors.map((e) => [e.trackingNumber, e.code])).toEqual([
      ["QUOTA000002", 4021],
      ["QUOTA000003", 4021],
    ]);
    expect((await client.getUserInfo()).remainingQuota).toBe(0);

    const error = await rejection(
      client.createTracking({ trackingNumber: "DLV0000011", carrierCode: "dhl" }),
    );
    expect(error).toMatchObject({ code: 4021, httpStatus: 200, retryable: false, type: "Forbidden" });
    expect((await rejection(client.batchCreate(items(2, "MORE")))).code).toBe(4021);
    expect((await client.listTrackings()).total).toBe(3);
  });

  it("charges 1 per 5 detections and 20 per air cargo number", async () => {
    const client = env.client();
    const before = (await client.getUserInfo()).remainingQuota;
    for (let i = 0; i < 5; i++) await client.detectCarrier("1Z999AA10123456784");
    expect((await client.getUserInfo()).remainingQuota).toBe(before - 1);
    await client.airCargo(["172-28891936", "17228891937"]);
    expect((await client.getUserInfo()).remainingQuota).toBe(before - 41);
  });
});

describe("listing and queries", () => {
  it("paginates with a string total and filters by every documented parameter", async () => {
    const client = env.client();
    const t0 = env.emulator.clock.now();
    await client.createTracking({
      trackingNumber: "DLV0000100",
      carrierCode: "dhl",
      orderId: "A-1",
      orderCreateTime: new Date(t0 - 48 * HOUR),
    });
    env.emulator.clock.advance(2 * HOUR);
    await client.createTracking({
      trackingNumber: "EXC0000101",
      carrierCode: "dhl",
      orderId: "A-2",
      orderCreateTime: "2026-01-05 10:00:00",
    });
    env.emulator.clock.advance(2 * HOUR);
    await client.createTracking({ trackingNumber: "DLV0000102", carrierCode: "dhl", orderId: "A-3" });
    await client.updateTracking("dhl", "DLV0000102", { archived: true });

    const page2 = await client.listTrackings({ limit: 2, page: 2 });
    expect(page2).toMatchObject({ page: 2, limit: 2, total: 3 });
    expect(page2.items.map((t) => t.trackingNumber)).toEqual(["DLV0000100"]);

    const numbersOf = async (q: Parameters<typeof client.listTrackings>[0]) =>
      (await client.listTrackings(q)).items.map((t) => t.trackingNumber).sort();
    expect(await numbersOf({ archived: true })).toEqual(["DLV0000102"]);
    expect(await numbersOf({ archived: false })).toEqual(["DLV0000100", "EXC0000101"]);
    expect(await numbersOf({ numbers: ["EXC0000101", "NOT0000000"] })).toEqual(["EXC0000101"]);
    expect(await numbersOf({ orders: ["A-1", "A-3"] })).toEqual(["DLV0000100", "DLV0000102"]);
    expect(
      await numbersOf({ createdAtMin: new Date(t0 + HOUR), createdAtMax: new Date(t0 + 3 * HOUR) }),
    ).toEqual(["EXC0000101"]);
    expect(await numbersOf({ orderCreatedTimeMax: new Date(t0 - 24 * HOUR) })).toEqual(["DLV0000100"]);
    expect(await numbersOf({ orderCreatedTimeMin: new Date(Date.UTC(2026, 0, 5, 9)) })).toEqual([
      "EXC0000101",
    ]);
    // Only the archive edit touched DLV0000102 at t0+4h; the others last changed earlier.
    expect(await numbersOf({ updateTimeMin: new Date(t0 + 4 * HOUR) })).toEqual(["DLV0000102"]);

    env.emulator.clock.advance(150 * HOUR);
    expect(await numbersOf({ status: "exception" })).toEqual(["EXC0000101"]);
    expect(await numbersOf({ status: "delivered" })).toEqual(["DLV0000100", "DLV0000102"]);
    const counts = await client.getStatusCounts();
    expect(counts).toMatchObject({ delivered: 2, exception: 1, pending: 0, transit: 0 });
    expect((await client.getStatusCounts({ createdAtMin: new Date(t0 + HOUR) })).delivered).toBe(1);
  });

  it("walks every page with iterateTrackings", async () => {
    const client = env.client();
    await client.batchCreate(items(7, "PAGE"));
    const seen: string[] = [];
    for await (const t of client.iterateTrackings({ limit: 3 })) seen.push(t.trackingNumber);
    expect(seen).toHaveLength(7);
    expect(calls(env.emulator, env.apiKey, "GET /trackings/get")).toBe(3);
  });

  it("refuses more than 40 numbers in a list filter", async () => {
    const tooMany = Array.from({ length: 41 }, (_, i) => `N${i}`);
    expect((await rejection(env.client().listTrackings({ numbers: tooMany }))).code).toBe(4020);
    const answer = await raw(env.emulator, env.apiKey, "GET", `/trackings/get?numbers=${tooMany.join(",")}`);
    expect(answer.json.meta.code).toBe(4020);
  });

  it("realtime creates (1 quota) and returns the current state", async () => {
    const client = env.client();
    const before = (await client.getUserInfo()).remainingQuota;
    const [first] = await client.realtime({ trackingNumber: "DLV0000200", carrierCode: "dhl", lang: "en" });
    expect(first).toMatchObject({ trackingNumber: "DLV0000200", status: "pending" });
    env.emulator.clock.advance(200 * HOUR);
    const [later] = await client.realtime({ trackingNumber: "DLV0000200", carrierCode: "dhl" });
    expect(later.status).toBe("delivered");
    expect((await client.getUserInfo()).remainingQuota).toBe(before - 1);
  });

  it("reads user info", async () => {
    const info = await env.client().getUserInfo();
    expect(info.email).toBe(env.email);
    expect(info.remainingQuota).toBe(10_000);
    expect(info.money).toBe(0);
    expect(info.regtime).toBeInstanceOf(Date);
  });

  it("lists the carriers (the 663 of the 2020 snapshot and newer ones), in Chinese on request", async () => {
    const carriers = await env.client().listCarriers();
    expect(carriers).toHaveLength(663 + ADDED_SINCE_SNAPSHOT.length);
    expect(carriers.find((c) => c.code === "amazon")?.name).toBe("Amazon Logistics");
    expect(carriers.find((c) => c.code === "china-post")).toMatchObject({
      name: "China Post",
      type: "globalpost",
    });
    const chinese = await env.client().listCarriers("cn");
    expect(chinese.find((c) => c.code === "china-post")?.name).toBe("中国邮政");
  });

  it.each([
    ["1Z999AA10123456784", "ups"],
    ["9400111899223456789012", "usps"],
    ["RR123456785GB", "royal-mail"],
    ["RR123456785CN", "china-post"],
    ["EA123456785CN", "china-ems"],
    ["YT1234567890123456", "yunexpress"],
    ["SF123456789012", "sf-express"],
    ["LP00123456789012", "cainiao"],
    ["4PX3000000000000CN", "4px"],
    ["1234567890", "dhl"],
    ["123456789012", "fedex"],
  ])("detects %s as %s first", async (number, code) => {
    const [best] = await env.client().detectCarrier(number);
    expect(best.code).toBe(code);
    expect(best.name).not.toBe("");
  });

  it("answers 4032 when no carrier matches", async () => {
    expect((await rejection(env.client().detectCarrier("ZZ-NOTHING"))).code).toBe(4032);
  });

  it("checks remote areas, transit times and air cargo", async () => {
    const client = env.client();
    const remote = await client.checkRemoteAreas(
      Array.from({ length: 20 }, (_, i) => ({ country: "US", postcode: String(99500 + i) })),
    );
    expect(remote.submitted).toBe(20);
    expect(remote.remote.length).toBeGreaterThan(0);
    expect(remote.remote[0]).toMatchObject({ country: "US", company: "dhl" });

    const [times] = await client.transitTimes([
      { carrierCode: "china-post", original: "CN", destination: "US" },
    ]);
    expect(times).toMatchObject({ carrierCode: "china-post", original: "CN", destination: "US" });
    expect(times.ranges.reduce((a, b) => a + b, 0)).toBeCloseTo(100);
    expect(
      (await rejection(client.transitTimes([{ carrierCode: "nope", original: "CN", destination: "US" }])))
        .code,
    ).toBe(4015);

    const [cargo] = await client.airCargo(["172-28891936"]);
    expect(cargo.trackNumber).toBe("172-28891936");
    expect(cargo.events.length).toBeGreaterThan(0);
    expect((await rejection(client.airCargo(["12345"]))).code).toBe(4014);
  });
});
