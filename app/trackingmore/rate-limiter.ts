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
 * TrackingMore counts requests per second per account. We keep the same sliding window on our
 * side, and a request counts from the moment its answer came back (or it failed): their server
 * counted it no later than that, so a busy event loop that delays our send can only make us
 * slower, never bunch requests at their end. A request still in flight holds its place until
 * it settles. The window is widened by 2% (at least 10 ms) for clock jitter, and consecutive
 * requests keep half an interval apart so a burst never meets a stricter, token-bucket style
 * limiter (one 429 costs a two-minute pause).
 */
const WINDOW_MARGIN_SHARE = 0.02;
const MIN_WINDOW_MARGIN_MS = 10;

interface SentRequest {
  /** Send time until settled, then the time its answer came back. */
  at: number;
  settled: Promise<void>;
  isSettled: boolean;
}

interface ClassState {
  /** The last `allowance` requests, oldest first. */
  sent: SentRequest[];
  /** The previous waiter: requests of one class take their turn in order. */
  turn: Promise<void>;
}

interface AccountSlots {
  classes: Record<RateClass, ClassState>;
  pausedUntil: number;
}

/** Call when the request's answer has arrived, or the request failed. */
export type ReleaseRequest = () => void;

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

export interface ClassLimit {
  /** Requests allowed per window; 0 = unlimited. */
  allowance: number;
  windowMs: number;
  minGapMs: number;
}

/** One class's sliding window, from its requests per second; shared by every gate. */
export function classLimit(perSecond: number): ClassLimit {
  // 0, negative or Infinity means "do not limit".
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) return { allowance: 0, windowMs: 0, minGapMs: 0 };
  const allowance = Math.max(1, Math.floor(perSecond));
  const window = (allowance / perSecond) * 1000;
  return {
    allowance,
    windowMs: window + Math.max(MIN_WINDOW_MARGIN_MS, window * WINDOW_MARGIN_SHARE),
    minGapMs: allowance > 1 ? 500 / perSecond : 0,
  };
}

export class RateLimiter {
  private readonly slots: AccountSlots;
  private readonly limits: Record<RateClass, ClassLimit>;

  constructor(
    account: string,
    limits: RateLimits,
    private readonly clock: Clock,
  ) {
    let slots = accounts.get(account);
    if (!slots) {
      const fresh = (): ClassState => ({ sent: [], turn: Promise.resolve() });
      slots = { classes: { list: fresh(), realtime: fresh(), default: fresh() }, pausedUntil: 0 };
      accounts.set(account, slots);
    }
    this.slots = slots;
    const merged = { ...DEFAULT_RATE_LIMITS, ...limits };
    this.limits = {
      list: classLimit(merged.listPerSecond),
      realtime: classLimit(merged.realtimePerSecond),
      default: classLimit(merged.defaultPerSecond),
    };
  }

  /** Resolves when a request of this class may go out; call the returned function when it settles. */
  async acquire(rateClass: RateClass, signal?: AbortSignal): Promise<ReleaseRequest> {
    const state = this.slots.classes[rateClass];
    const previous = state.turn;
    let done!: () => void;
    state.turn = new Promise<void>((resolve) => (done = resolve));
    try {
      await previous;
      await this.waitForPause(signal);
      const { allowance, windowMs, minGapMs } = this.limits[rateClass];
      if (allowance === 0) return () => {};
      for (;;) {
        const oldest = state.sent.length >= allowance ? state.sent[state.sent.length - allowance] : undefined;
        if (oldest && !oldest.isSettled) {
          await oldest.settled;
          continue;
        }
        const now = this.clock.now();
        const last = state.sent.at(-1);
        const windowOpensAt = oldest ? oldest.at + windowMs : now;
        const gapOpensAt = last === undefined ? now : last.at + minGapMs;
        const wait = Math.max(windowOpensAt, gapOpensAt) - now;
        if (wait <= 0) break;
        await this.clock.sleep(wait, signal);
      }
      let settle!: () => void;
      const request: SentRequest = {
        at: this.clock.now(),
        isSettled: false,
        settled: new Promise<void>((resolve) => (settle = resolve)),
      };
      state.sent.push(request);
      if (state.sent.length > allowance) state.sent.splice(0, state.sent.length - allowance);
      return () => {
        if (request.isSettled) return;
        request.at = Math.max(request.at, this.clock.now());
        request.isSettled = true;
        settle();
      };
    } finally {
      done();
    }
  }

  private async waitForPause(signal?: AbortSignal) {
    for (let now = this.clock.now(); this.slots.pausedUntil > now; now = this.clock.now()) {
      await this.clock.sleep(this.slots.pausedUntil - now, signal);
    }
  }

  /** After a 429 the whole account waits, not just the endpoint class that was refused. */
  pauseAll(ms: number): void {
    this.slots.pausedUntil = Math.max(this.slots.pausedUntil, this.clock.now() + ms);
  }

  /** Epoch ms the account's pause lasts until; in the past when it is not paused. */
  pausedUntil(): number {
    return this.slots.pausedUntil;
  }
}
