import { randomUUID } from "node:crypto";
import { TrackingMoreClient, type TrackingMoreClientOptions } from "../../app/trackingmore";
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../devkit/emulator";

/**
 * A clock whose sleeps return without real waiting: sleepers wake one at a time, earliest
 * first, each moving time to its wake-up moment, so concurrent sleepers do not add up.
 */
export function fakeClock(start = 1_750_000_000_000) {
  let now = start;
  const sleeps: number[] = [];
  const timers: { wake: number; resolve: () => void }[] = [];
  let pumping = false;
  const tick = () => {
    timers.sort((a, b) => a.wake - b.wake);
    const next = timers.shift();
    if (!next) {
      pumping = false;
      return;
    }
    now = Math.max(now, next.wake);
    next.resolve();
    // setImmediate runs after pending microtasks: the woken caller acts before the next wakes.
    setImmediate(tick);
  };
  return {
    sleeps,
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      return new Promise<void>((resolve) => {
        timers.push({ wake: now + ms, resolve });
        if (!pumping) {
          pumping = true;
          setImmediate(tick);
        }
      });
    },
  };
}

export function newKey(): string {
  return `tm-test-${randomUUID()}`;
}

export interface Setup {
  emulator: EmulatorHandle;
  apiKey: string;
  email: string;
  client(overrides?: Partial<TrackingMoreClientOptions>): TrackingMoreClient;
}

/** An emulator with one fresh account, rate limits off unless asked for. */
export async function setup(opts: EmulatorOptions = {}): Promise<Setup> {
  const apiKey = newKey();
  const email = `shop-${apiKey.slice(-6)}@example.com`;
  const emulator = await startEmulator({
    rateLimits: false,
    ...opts,
    accounts: [{ apiKey, email }, ...(opts.accounts ?? [])],
  });
  return {
    emulator,
    apiKey,
    email,
    client: (overrides = {}) =>
      new TrackingMoreClient({
        apiKey,
        baseUrl: emulator.baseUrl,
        clock: fakeClock(),
        rateLimits: { listPerSecond: 0, realtimePerSecond: 0, defaultPerSecond: 0 },
        timeoutMs: 2_000,
        ...overrides,
      }),
  };
}

export function calls(emulator: EmulatorHandle, apiKey: string, endpoint: string): number {
  return emulator.stats().calls[apiKey]?.[endpoint] ?? 0;
}

// Raw wire JSON is poked at freely in tests; typing every shape would only restate the emulator.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WireJson = any;

/** Raw v2 request, for checking the wire exactly as a client would see it. */
export async function raw(
  emulator: EmulatorHandle,
  apiKey: string | null,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${emulator.baseUrl}${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(apiKey ? { "Trackingmore-Api-Key": apiKey } : {}) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    httpStatus: response.status,
    json: (await response.json()) as {
      meta: { code: number; type: string; message: string };
      data: WireJson;
    },
  };
}
