import { createHash } from "node:crypto";

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/**
 * TrackingMore limits per account: /trackings/get 1/s, /trackings/realtime 3/s. The rest is
 * unconfirmed (one third-party summary says 1/s); 5/s is our default, chosen because bulk
 * work goes through the 40-item batch endpoints anyway, and a 429 costs a two-minute pause,
 * so anyone who sees 429s on plain endpoints should lower `defaultPerSecond`.
 */
export type RateClass = "list" | "realtime" | "default";

export interface RateLimits {
  listPerSecond?: number;
  realtimePerSecond?: number;
  defaultPerSecond?: number;
}

export const DEFAULT_RATE_LIMITS: Required<RateLimits> = {
  listPerSecond: 1,
  realtimePerSecond: 3,
  defaultPerSecond: 5,
};

/**
 * Added to every spacing interval: requests spaced exactly 1000 ms apart at our end can
 * arrive 999 ms apart at theirs, and one stray 429 costs minutes. 2% (at least 5 ms) absorbs
 * that jitter without giving away a quarter of a 5/s budget, as a fixed 50 ms would.
 */
const SPACING_MARGIN_SHARE = 0.02;
const MIN_SPACING_MARGIN_MS = 5;

interface AccountSlots {
  nextFree: Record<RateClass, number>;
  pausedUntil: number;
}

// One entry per account (key + base URL), shared by every client instance in the process so
// two clients with the same key cannot together exceed the account's limits.
const accounts = new Map<string, AccountSlots>();

export function accountId(apiKey: string, baseUrl: string): string {
  return createHash("sha256").update(`${baseUrl}\n${apiKey}`).digest("hex");
}

/** Forget all shared limiter state; for tests that reuse keys with fresh fake clocks. */
export function resetRateLimiters(): void {
  accounts.clear();
}

function intervalMs(perSecond: number): number {
  // 0, negative or Infinity means "do not limit".
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) return 0;
  const interval = 1000 / perSecond;
  return interval + Math.max(MIN_SPACING_MARGIN_MS, interval * SPACING_MARGIN_SHARE);
}

export class RateLimiter {
  private readonly slots: AccountSlots;
  private readonly intervals: Record<RateClass, number>;

  constructor(
    account: string,
    limits: RateLimits,
    private readonly clock: Clock,
  ) {
    let slots = accounts.get(account);
    if (!slots) {
      slots = { nextFree: { list: 0, realtime: 0, default: 0 }, pausedUntil: 0 };
      accounts.set(account, slots);
    }
    this.slots = slots;
    const merged = { ...DEFAULT_RATE_LIMITS, ...limits };
    this.intervals = {
      list: intervalMs(merged.listPerSecond),
      realtime: intervalMs(merged.realtimePerSecond),
      default: intervalMs(merged.defaultPerSecond),
    };
  }

  /** Resolves when a request of this class may go out; reserves its slot synchronously. */
  async acquire(rateClass: RateClass, signal?: AbortSignal): Promise<void> {
    for (let now = this.clock.now(); this.slots.pausedUntil > now; now = this.clock.now()) {
      await this.clock.sleep(this.slots.pausedUntil - now, signal);
    }
    const now = this.clock.now();
    const slot = Math.max(now, this.slots.nextFree[rateClass]);
    this.slots.nextFree[rateClass] = slot + this.intervals[rateClass];
    if (slot > now) await this.clock.sleep(slot - now, signal);
  }

  /** After a 429 the whole account waits, not just the endpoint class that was refused. */
  pauseAll(ms: number): void {
    this.slots.pausedUntil = Math.max(this.slots.pausedUntil, this.clock.now() + ms);
  }
}
