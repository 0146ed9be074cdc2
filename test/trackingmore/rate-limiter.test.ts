import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TrackingMoreClient, resetRateLimiters } from "../../app/trackingmore";
import { RateLimiter, accountId } from "../../app/trackingmore/rate-limiter";
import { fakeClock, newKey, raw, setup, type Setup } from "./helpers";

let env: Setup;
beforeEach(async () => {
  resetRateLimiters();
  env = await setup();
});
afterEach(async () => {
  await env.emulator.close();
});

/** Records the fake-clock time at which each request left the client. */
function timedClient(clock: ReturnType<typeof fakeClock>, sentAt: number[], apiKey = env.apiKey) {
  const logger = {
    debug: (_obj: object, msg?: string) => {
      if (msg === "trackingmore request") sentAt.push(clock.now());
    },
    warn: () => {},
  };
  return new TrackingMoreClient({ apiKey, baseUrl: env.emulator.baseUrl, clock, logger });
}

describe("client rate limiting", () => {
  it("spaces list calls at least one second apart, even when fired together", async () => {
    const clock = fakeClock();
    const sentAt: number[] = [];
    const client = timedClient(clock, sentAt);
    const start = clock.now();
    await Promise.all([client.listTrackings(), client.listTrackings(), client.listTrackings()]);
    sentAt.sort((a, b) => a - b);
    expect(sentAt[0]).toBe(start);
    expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(1000);
    expect(sentAt[2] - sentAt[1]).toBeGreaterThanOrEqual(1000);
    expect(sentAt[2] - start).toBeLessThanOrEqual(2 * 1020);
  });

  it("shares the budget between clients with the same key, not across keys", async () => {
    const clock = fakeClock();
    const sentAt: number[] = [];
    const a = timedClient(clock, sentAt);
    const b = timedClient(clock, sentAt);
    await a.listTrackings();
    await b.listTrackings();
    expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(1000);

    const otherKey = newKey();
    env.emulator.addAccount({ apiKey: otherKey, email: "o@example.com" });
    const otherTimes: number[] = [];
    const before = clock.now();
    await timedClient(clock, otherTimes, otherKey).listTrackings();
    expect(otherTimes[0]).toBe(before);
  });

  it("allows realtime 3/s and the other endpoints 5/s by default", () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(accountId(newKey(), "http://x"), {}, clock);
    const start = clock.now();
    const realtimeTimes: number[] = [];
    const run = async () => {
      for (let i = 0; i < 4; i++) {
        (await limiter.acquire("realtime"))();
        realtimeTimes.push(clock.now() - start);
      }
    };
    return run().then(() => {
      expect(realtimeTimes[3]).toBeGreaterThanOrEqual(1000);
      expect(realtimeTimes[2]).toBeLessThan(1000);
    });
  });

  it("can be configured and disabled", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(
      accountId(newKey(), "http://x"),
      { defaultPerSecond: 0, listPerSecond: 2 },
      clock,
    );
    for (let i = 0; i < 10; i++) (await limiter.acquire("default"))();
    expect(clock.sleeps).toEqual([]);
    for (let i = 0; i < 3; i++) (await limiter.acquire("list"))();
    // Two per (widened) second, half an interval apart: 250 ms, then the window's 1020 - 250.
    expect(clock.sleeps).toEqual([250, 770]);
  });

  it("counts a request from when its answer came back, and holds its place while in flight", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(accountId(newKey(), "http://x"), { listPerSecond: 1 }, clock);
    const releaseFirst = await limiter.acquire("list");
    let secondAt: number | null = null;
    const second = limiter.acquire("list").then((release) => {
      secondAt = clock.now();
      release();
    });
    await clock.sleep(5_000); // the first answer is slow to come back
    expect(secondAt).toBeNull();
    const answeredAt = clock.now();
    releaseFirst();
    await second;
    expect(secondAt).toBe(answeredAt + 1_020);
  });

  it("keeps any five default requests a second apart even when timers fire late", async () => {
    const clock = fakeClock();
    // A busy event loop: every other sleep overruns by 40 ms.
    let calls = 0;
    const lateClock = {
      now: clock.now,
      sleep: async (ms: number) => clock.sleep(ms + (calls++ % 2 === 0 ? 40 : 0)),
    };
    const limiter = new RateLimiter(accountId(newKey(), "http://x"), {}, lateClock);
    const sent: number[] = [];
    await Promise.all(
      Array.from({ length: 16 }, () =>
        limiter.acquire("default").then((release) => {
          sent.push(clock.now());
          release();
        }),
      ),
    );
    sent.sort((a, b) => a - b);
    for (let i = 0; i + 5 < sent.length; i++) expect(sent[i + 5] - sent[i]).toBeGreaterThanOrEqual(1000);
    // And it does not give away the budget: 16 requests in a little over three seconds.
    expect(sent[15] - sent[0]).toBeLessThan(3_500);
  });
});

describe("emulator rate limiting", () => {
  it("answers 429 to a second list call within one second, and lets it through after", async () => {
    const emulatorEnv = await setup({ rateLimits: {}, clock: { frozen: true } });
    try {
      const { emulator, apiKey } = emulatorEnv;
      expect((await raw(emulator, apiKey, "GET", "/trackings/get")).json.meta.code).toBe(200);
      const refused = await raw(emulator, apiKey, "GET", "/trackings/get");
      expect(refused.httpStatus).toBe(429);
      expect(refused.json.meta.code).toBe(429);
      emulator.clock.advance(1000);
      expect((await raw(emulator, apiKey, "GET", "/trackings/get")).json.meta.code).toBe(200);
      expect(emulator.stats().rateLimited).toBe(1);

      for (let i = 0; i < 3; i++) {
        const answer = await raw(emulator, apiKey, "POST", "/trackings/realtime", {
          tracking_number: `DLV000000${i}`,
          carrier_code: "dhl",
        });
        expect(answer.json.meta.code).toBe(200);
      }
      expect(
        (
          await raw(emulator, apiKey, "POST", "/trackings/realtime", {
            tracking_number: "DLV0000009",
            carrier_code: "dhl",
          })
        ).json.meta.code,
      ).toBe(429);
    } finally {
      await emulatorEnv.emulator.close();
    }
  });

  it("a client at its default pace is never refused by the emulator's limits", async () => {
    const emulatorEnv = await setup({ rateLimits: {} });
    try {
      // Real clock on both sides, so keep it short: three list calls take about two seconds.
      const client = new TrackingMoreClient({
        apiKey: emulatorEnv.apiKey,
        baseUrl: emulatorEnv.emulator.baseUrl,
      });
      await Promise.all([client.listTrackings(), client.listTrackings(), client.listTrackings()]);
      expect(emulatorEnv.emulator.stats().rateLimited).toBe(0);
    } finally {
      await emulatorEnv.emulator.close();
    }
  });
});
