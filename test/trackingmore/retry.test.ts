import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TrackingMoreClient, TrackingMoreError, resetRateLimiters } from "../../app/trackingmore";
import { calls, fakeClock, setup, type Setup } from "./helpers";

let env: Setup;
beforeEach(async () => {
  resetRateLimiters();
  env = await setup();
});
afterEach(async () => {
  await env.emulator.close();
});

const USER_INFO = "GET /trackings/getuserinfo";

async function rejection(promise: Promise<unknown>): Promise<TrackingMoreError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TrackingMoreError);
  return error as TrackingMoreError;
}

describe("retries", () => {
  it("retries 500 and 503 with growing, jittered back-off, then succeeds", async () => {
    const clock = fakeClock();
    const client = env.client({ clock, retry: { baseDelayMs: 100, maxDelayMs: 1_000 }, random: () => 0.5 });
    env.emulator.setFaults({ next: ["500", "503"] });
    const info = await client.getUserInfo();
    expect(info.email).toBe(env.email);
    expect(calls(env.emulator, env.apiKey, USER_INFO)).toBe(3);
    // Equal jitter with random 0.5: 3/4 of 100, then 3/4 of 200.
    expect(clock.sleeps).toEqual([75, 150]);
    expect(env.emulator.stats().injected).toMatchObject({ "500": 1, "503": 1 });
  });

  it("caps the back-off at maxDelayMs", async () => {
    const clock = fakeClock();
    const client = env.client({
      clock,
      retry: { maxAttempts: 5, baseDelayMs: 400, maxDelayMs: 500 },
      random: () => 0.999,
    });
    env.emulator.setFaults({ next: ["500", "500", "500", "500"] });
    await client.getUserInfo();
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(500);
    expect(clock.sleeps).toHaveLength(4);
  });

  it("pauses the account for rateLimitPauseMs after a 429", async () => {
    const clock = fakeClock();
    const client = env.client({ clock, retry: { rateLimitPauseMs: 90_000 } });
    env.emulator.setFaults({ next: ["429"] });
    const started = clock.now();
    await client.getUserInfo();
    expect(clock.sleeps).toEqual([90_000]);
    expect(clock.now() - started).toBe(90_000);
    expect(calls(env.emulator, env.apiKey, USER_INFO)).toBe(2);
  });

  it("defaults the 429 pause to two minutes", async () => {
    const clock = fakeClock();
    env.emulator.setFaults({ next: ["429"] });
    await env.client({ clock }).getUserInfo();
    expect(clock.sleeps).toEqual([120_000]);
  });

  it("retries a dropped connection", async () => {
    env.emulator.setFaults({ next: ["drop"] });
    await env.client().getUserInfo();
    expect(calls(env.emulator, env.apiKey, USER_INFO)).toBe(2);
    expect(env.emulator.stats().injected.drop).toBe(1);
  });

  it("gives up on a silent server after timeoutMs and retries", async () => {
    env.emulator.setFaults({ next: ["timeout"] });
    const started = Date.now();
    await env.client({ timeoutMs: 150 }).getUserInfo();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(calls(env.emulator, env.apiKey, USER_INFO)).toBe(2);
  });

  it("reports a timeout as a retryable 408 once attempts run out", async () => {
    env.emulator.setFaults({ next: ["timeout", "timeout"] });
    const error = await rejection(env.client({ timeoutMs: 100, retry: { maxAttempts: 2 } }).getUserInfo());
    expect(error).toMatchObject({ code: 408, type: "Timeout", retryable: true, httpStatus: 0 });
  });

  it("stops after maxAttempts and throws the last server error", async () => {
    env.emulator.setFaults({ error500: 1 });
    const error = await rejection(env.client({ retry: { maxAttempts: 3 } }).getUserInfo());
    expect(error).toMatchObject({ code: 500, httpStatus: 500, retryable: true, type: "InternalError" });
    expect(calls(env.emulator, env.apiKey, USER_INFO)).toBe(3);
  });

  it("never retries business errors", async () => {
    const client = env.client({ retry: { maxAttempts: 5 } });
    await rejection(client.getTracking("dhl", "DLV0000001")); // 4031
    await rejection(client.updateTracking("dhl", "DLV0000001", { title: "x" })); // 4017
    await rejection(client.detectCarrier("ZZ")); // 4032
    expect(calls(env.emulator, env.apiKey, "GET /trackings/{carrier}/{number}")).toBe(1);
    expect(calls(env.emulator, env.apiKey, "PUT /trackings/{carrier}/{number}")).toBe(1);
    expect(calls(env.emulator, env.apiKey, "POST /carriers/detect")).toBe(1);
  });

  it("survives a seeded share of mixed faults, deterministically", async () => {
    const run = async () => {
      env.emulator.setFaults({ error500: 0.2, error503: 0.1, drop: 0.1, seed: 42 });
      env.emulator.resetStats();
      const client = env.client({ retry: { maxAttempts: 8 } });
      for (let i = 0; i < 15; i++) await client.getUserInfo();
      return env.emulator.stats().injected;
    };
    const first = await run();
    expect(first["500"] + first["503"] + first.drop).toBeGreaterThan(0);
    expect(await run()).toEqual(first);
  });

  it("treats a success code with HTTP 200 and an error code with HTTP 200 by meta.code alone", async () => {
    env.emulator.setQuota(env.apiKey, 0);
    const error = await rejection(
      env.client().createTracking({ trackingNumber: "DLV0000001", carrierCode: "dhl" }),
    );
    expect(error.httpStatus).toBe(200);
    expect(error.code).toBe(4021);
  });
});

describe("the API key stays secret", () => {
  it("appears in no log line and no error message, even when the server echoes it", async () => {
    const lines: string[] = [];
    const logger = {
      debug: (obj: object, msg?: string) => lines.push(JSON.stringify(obj) + (msg ?? "")),
      warn: (obj: object, msg?: string) => lines.push(JSON.stringify(obj) + (msg ?? "")),
    };
    const secret = "tm-test-SECRET-9f8e7d6c";
    // A server that repeats the key back in meta.message.
    const echo = createServer((req, res) => {
      res.writeHead(400, { "Content-Type": "application/json" });
      res.end(
        JSON.stringify({
          meta: {
            code: 4001,
            type: "Unauthorized",
            message: `bad key ${req.headers["trackingmore-api-key"]}`,
          },
          data: [],
        }),
      );
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/v2`;
    const messages: string[] = [];
    const collect = async (p: Promise<unknown>) => {
      const e = await rejection(p);
      messages.push(e.message, String(e.stack), JSON.stringify(e));
    };
    try {
      const options = {
        apiKey: secret,
        clock: fakeClock(),
        logger,
        timeoutMs: 300,
        retry: { maxAttempts: 2 },
      };
      await collect(new TrackingMoreClient({ ...options, baseUrl: echoUrl }).getUserInfo());
      await collect(new TrackingMoreClient({ ...options, baseUrl: env.emulator.baseUrl }).getUserInfo());
      env.emulator.setFaults({ error500: 1 });
      await collect(new TrackingMoreClient({ ...options, baseUrl: env.emulator.baseUrl }).getUserInfo());
      env.emulator.setFaults({ drop: 1 });
      await collect(new TrackingMoreClient({ ...options, baseUrl: env.emulator.baseUrl }).getUserInfo());
      await collect(new TrackingMoreClient({ ...options, baseUrl: "http://127.0.0.1:1/v2" }).getUserInfo());
    } finally {
      echo.close();
    }
    expect(messages.join("\n")).toContain("bad key [redacted]");
    expect(lines.length).toBeGreaterThan(4);
    for (const text of [...lines, ...messages]) expect(text).not.toContain(secret);
  });
});

describe("lost answers", () => {
  it("treats 4016 after a lost create answer as the create having worked", async () => {
    env.emulator.setFaults({ next: ["dropAfter"] });
    const created = await env
      .client()
      .createTracking({ trackingNumber: "DLV0000077", carrierCode: "dhl", title: "once" });
    expect(created).toMatchObject({ trackingNumber: "DLV0000077", title: "once" });
    expect(env.emulator.stats().injected.dropAfter).toBe(1);
    expect(calls(env.emulator, env.apiKey, "POST /trackings/post")).toBe(2);
    expect(calls(env.emulator, env.apiKey, "GET /trackings/{carrier}/{number}")).toBe(1);
    expect((await env.client().getUserInfo()).remainingQuota).toBe(9_999);
  });

  it("still reports a plain 4016 when no answer was lost", async () => {
    const client = env.client();
    await client.createTracking({ trackingNumber: "DLV0000078", carrierCode: "dhl" });
    env.emulator.setFaults({ next: ["500"] });
    expect(
      (await rejection(client.createTracking({ trackingNumber: "DLV0000078", carrierCode: "dhl" }))).code,
    ).toBe(4016);
  });
});
