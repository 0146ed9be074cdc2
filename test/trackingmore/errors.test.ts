import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  NETWORK_CODE,
  TIMEOUT_CODE,
  TrackingMoreError,
  classifyOutcome,
  isRetryableCode,
  resetRateLimiters,
  type TrackingMoreOutcome,
} from "../../app/trackingmore";
import { setup, type Setup } from "./helpers";

// Every code of TrackingMore's v2 error table (meanings in app/trackingmore/errors.ts) and our
// own pseudo-codes, with the one class every stage acts on.
const CLASSES: [number, TrackingMoreOutcome][] = [
  [401, "key_rejected"],
  [4001, "key_rejected"],
  [4002, "key_rejected"],
  [4012, "refused"],
  [4013, "refused"],
  [4014, "refused"],
  [4015, "refused"],
  [4016, "already_exists"],
  [4017, "not_found"],
  [4018, "refused"],
  [4019, "quota_exhausted"],
  [4020, "refused"],
  [4021, "quota_exhausted"],
  [4031, "not_found"],
  [4032, "refused"],
  [4033, "refused"],
  [402, "quota_exhausted"],
  [403, "refused"],
  [404, "not_found"],
  [405, "refused"],
  [409, "refused"],
  [429, "rate_limited"],
  [500, "transient"],
  [502, "transient"],
  [503, "transient"],
  [504, "transient"],
  [TIMEOUT_CODE, "transient"],
  [NETWORK_CODE, "transient"],
  [0, "transient"],
  [4999, "refused"],
];

describe("classifyOutcome", () => {
  it.each(CLASSES)("classes %i as %s", (code, outcome) => {
    expect(classifyOutcome(code)).toBe(outcome);
    // The same for a call's error and for one item of a batch.
    const error = new TrackingMoreError({
      code,
      message: "m",
      httpStatus: 200,
      endpoint: "POST /trackings/batch",
    });
    expect(error.outcome).toBe(outcome);
    expect(classifyOutcome(error)).toBe(outcome);
    expect(classifyOutcome({ trackingNumber: "N1", carrierCode: "dhl", code, message: "m" })).toBe(outcome);
    // The client retries exactly what is transient or throttled, nothing the account or item decides.
    expect(isRetryableCode(code)).toBe(outcome === "transient" || outcome === "rate_limited");
    expect(error.retryable).toBe(outcome === "transient" || outcome === "rate_limited");
  });

  it("takes anything that is not TrackingMore's answer as transient", () => {
    expect(classifyOutcome(new Error("connection reset"))).toBe("transient");
    expect(classifyOutcome(Object.assign(new Error("unique"), { code: "P2002" }))).toBe("transient");
    expect(classifyOutcome(undefined)).toBe("transient");
  });
});

describe("classifyOutcome of the emulator's answers", () => {
  let env: Setup;
  beforeEach(async () => {
    resetRateLimiters();
    env = await setup();
  });
  afterEach(() => env.emulator.close());

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error("expected a failure");
      },
      (error: unknown) => classifyOutcome(error),
    );

  it("names a duplicate, a missing tracking, a wrong key, exhausted quota and a batch's items", async () => {
    const client = env.client({ retry: { maxAttempts: 1 } });
    const parcel = { trackingNumber: "DLV0000001", carrierCode: "dhl" };
    await client.createTracking(parcel);
    expect(await failure(client.createTracking(parcel))).toBe("already_exists");
    expect(await failure(client.getTracking("dhl", "DLV0000999"))).toBe("not_found");
    expect(await failure(env.client({ apiKey: "tm-unknown-key" }).getUserInfo())).toBe("key_rejected");

    env.emulator.setQuota(env.apiKey, 1);
    const batch = await client.batchCreate([
      parcel,
      { trackingNumber: "DLV0000002", carrierCode: "dhl" },
      { trackingNumber: "DLV0000003", carrierCode: "dhl" },
    ]);
    expect(batch.errors.map((e) => [e.trackingNumber, classifyOutcome(e)])).toEqual([
      ["DLV0000001", "already_exists"],
      ["DLV0000003", "quota_exhausted"],
    ]);

    env.emulator.setFaults({ next: ["503"] });
    expect(await failure(client.getUserInfo())).toBe("transient");
    env.emulator.setFaults({ next: ["429"] });
    expect(await failure(env.client({ retry: { maxAttempts: 1, rateLimitPauseMs: 1 } }).getUserInfo())).toBe(
      "rate_limited",
    );
  });
});
