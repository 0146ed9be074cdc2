import { RateLimiter, realClock, type Clock, type RateClass, type RateLimits } from "./rate-limiter";

/** Call when the request's answer has arrived, or the request failed. Never throws. */
export type ReleaseSlot = () => void | Promise<void>;

/**
 * How the client's calls take their turn within an account's rate limits. TrackingMore counts
 * per account, so everything that calls with one key must share one gate: the default is this
 * process's limiter; an app with several processes injects one that they share (the app's
 * PostgreSQL gate). `account` is accountId(): a hash, never the key.
 */
export interface RateGate {
  /** Resolves when a request of this class may go out; call the release when it settles. */
  acquire(account: string, rateClass: RateClass, signal?: AbortSignal): Promise<ReleaseSlot>;
  /** After a 429: no request of this account, of any class, goes out for `ms`. */
  pauseAccount(account: string, ms: number): Promise<void>;
  /** Until when the account is paused (epoch ms), or null when it is not. */
  pausedUntil(account: string): Promise<number | null>;
}

/** The single process's gate: the sliding-window limiter every client of this process shares. */
export class InProcessRateGate implements RateGate {
  constructor(
    private readonly limits: RateLimits = {},
    private readonly clock: Clock = realClock,
  ) {}

  // Not kept: the account's state lives in the process-wide table (which resetRateLimiters
  // empties), and a limiter is only a view of it with these limits.
  private limiter(account: string): RateLimiter {
    return new RateLimiter(account, this.limits, this.clock);
  }

  acquire(account: string, rateClass: RateClass, signal?: AbortSignal): Promise<ReleaseSlot> {
    return this.limiter(account).acquire(rateClass, signal);
  }

  async pauseAccount(account: string, ms: number): Promise<void> {
    this.limiter(account).pauseAll(ms);
  }

  async pausedUntil(account: string): Promise<number | null> {
    const until = this.limiter(account).pausedUntil();
    return until > this.clock.now() ? until : null;
  }
}
