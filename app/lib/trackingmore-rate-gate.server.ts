import { randomUUID } from "node:crypto";
import prisma, { type PrismaClient } from "~/db/client.server";
import { logger } from "~/logger.server";
import {
  DEFAULT_RATE_LIMITS,
  classLimit,
  realClock,
  type Clock,
  type RateClass,
  type RateGate,
  type RateLimits,
  type ReleaseSlot,
} from "~/trackingmore";

// TrackingMore counts requests per account, and on PostgreSQL any number of worker processes
// call with the same key. Each class of each account keeps its sliding window in the database
// (TrackingMoreRateSlot: the last `allowance` requests, as the in-process limiter keeps them in
// memory), and a request is let go only inside a transaction holding the account's row lock,
// so all processes together stay within the limit. The same row carries the pause after a 429:
// whoever meets it, every process waits. Times are the database's clock, the one clock all
// processes share, in epoch ms.

const log = logger.child({ component: "trackingmore-rate-gate" });

const SEQ_COLUMN: Record<RateClass, string> = {
  list: '"listSeq"',
  realtime: '"realtimeSeq"',
  default: '"defaultSeq"',
};
const NOW_MS = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint";

export interface PostgresRateGateOptions {
  limits?: RateLimits;
  db?: PrismaClient;
  /**
   * A slot still in flight after this long belongs to a process that died mid-request: it then
   * counts as answered at this age. Longer than any request's timeout. Default 60 000.
   */
  abandonedAfterMs?: number;
  /** How soon a waiter looks again while the slot it needs is in flight. Default 20. */
  pollMs?: number;
  sleep?: Clock["sleep"];
}

type Attempt = { granted: true; slot: number | null; grant: string } | { granted: false; waitMs: number };

interface AccountRow {
  now: bigint | number | string;
  pausedUntilMs: bigint | number | string;
  seq: number;
}

interface SlotRow {
  slot: number;
  atMs: bigint | number | string;
  settled: boolean;
}

export class PostgresRateGate implements RateGate {
  private readonly db: PrismaClient;
  private readonly limits: Record<RateClass, ReturnType<typeof classLimit>>;
  private readonly abandonedAfterMs: number;
  private readonly pollMs: number;
  private readonly sleep: Clock["sleep"];
  /** Within this process one waiter per account and class asks the database; the rest queue. */
  private readonly turns = new Map<string, Promise<void>>();
  private readonly knownAccounts = new Set<string>();

  constructor(options: PostgresRateGateOptions = {}) {
    this.db = options.db ?? prisma;
    const merged = { ...DEFAULT_RATE_LIMITS, ...options.limits };
    this.limits = {
      list: classLimit(merged.listPerSecond),
      realtime: classLimit(merged.realtimePerSecond),
      default: classLimit(merged.defaultPerSecond),
    };
    this.abandonedAfterMs = options.abandonedAfterMs ?? 60_000;
    this.pollMs = options.pollMs ?? 20;
    this.sleep = options.sleep ?? realClock.sleep;
  }

  async acquire(account: string, rateClass: RateClass, signal?: AbortSignal): Promise<ReleaseSlot> {
    const key = `${account}\u0000${rateClass}`;
    const previous = this.turns.get(key) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.turns.set(key, mine);
    try {
      await previous;
      for (;;) {
        signal?.throwIfAborted();
        const attempt = await this.tryTake(account, rateClass);
        if (attempt.granted) return this.releaser(account, rateClass, attempt.slot, attempt.grant);
        await this.sleep(attempt.waitMs, signal);
      }
    } finally {
      done();
      if (this.turns.get(key) === mine) this.turns.delete(key);
    }
  }

  async pauseAccount(account: string, ms: number): Promise<void> {
    await this.db.$executeRawUnsafe(
      `INSERT INTO "TrackingMoreAccountRate" ("account", "pausedUntilMs") VALUES ($1, ${NOW_MS} + $2::bigint)
       ON CONFLICT ("account") DO UPDATE SET "pausedUntilMs" =
         GREATEST("TrackingMoreAccountRate"."pausedUntilMs", EXCLUDED."pausedUntilMs")`,
      account,
      Math.max(0, Math.ceil(ms)),
    );
    this.knownAccounts.add(account);
  }

  async pausedUntil(account: string): Promise<number | null> {
    const [row] = await this.db.$queryRawUnsafe<Omit<AccountRow, "seq">[]>(
      `SELECT ${NOW_MS} AS "now", "pausedUntilMs" FROM "TrackingMoreAccountRate" WHERE "account" = $1`,
      account,
    );
    if (!row) return null;
    const until = Number(row.pausedUntilMs);
    return until > Number(row.now) ? until : null;
  }

  private async ensureAccount(account: string): Promise<void> {
    if (this.knownAccounts.has(account)) return;
    await this.db.$executeRawUnsafe(
      `INSERT INTO "TrackingMoreAccountRate" ("account") VALUES ($1) ON CONFLICT ("account") DO NOTHING`,
      account,
    );
    this.knownAccounts.add(account);
  }

  /** One look under the account's lock: a slot now, or how long to wait before the next look. */
  private async tryTake(account: string, rateClass: RateClass): Promise<Attempt> {
    const { allowance, windowMs, minGapMs } = this.limits[rateClass];
    if (allowance === 0) {
      // Unlimited: only the pause applies, and reading it needs no lock.
      const [row] = await this.db.$queryRawUnsafe<Omit<AccountRow, "seq">[]>(
        `SELECT ${NOW_MS} AS "now", "pausedUntilMs" FROM "TrackingMoreAccountRate" WHERE "account" = $1`,
        account,
      );
      const waitMs = row ? Number(row.pausedUntilMs) - Number(row.now) : 0;
      return waitMs > 0 ? { granted: false, waitMs } : { granted: true, slot: null, grant: "" };
    }
    await this.ensureAccount(account);
    const seqColumn = SEQ_COLUMN[rateClass];
    return this.db.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRawUnsafe<AccountRow[]>(
          `SELECT ${NOW_MS} AS "now", "pausedUntilMs", ${seqColumn} AS "seq"
           FROM "TrackingMoreAccountRate" WHERE "account" = $1 FOR UPDATE`,
          account,
        );
        // Read after the lock: a transaction sees slots committed by whoever held it before.
        const now = Number(row.now);
        const pausedUntil = Number(row.pausedUntilMs);
        if (pausedUntil > now) return { granted: false, waitMs: pausedUntil - now };

        const seq = Number(row.seq);
        const slot = seq % allowance;
        const lastSlot = (seq + allowance - 1) % allowance;
        const slots = await tx.$queryRawUnsafe<SlotRow[]>(
          `SELECT "slot", "atMs", "settled" FROM "TrackingMoreRateSlot"
           WHERE "account" = $1 AND "rateClass" = $2 AND "slot" IN ($3, $4)`,
          account,
          rateClass,
          slot,
          lastSlot,
        );
        // The request `allowance` places back, whose slot this one takes, and the latest one.
        const oldest = seq >= allowance ? slots.find((s) => s.slot === slot) : undefined;
        const last = seq > 0 ? slots.find((s) => s.slot === lastSlot) : undefined;
        let windowOpensAt = now;
        if (oldest) {
          const at = Number(oldest.atMs);
          if (!oldest.settled && now - at < this.abandonedAfterMs) {
            // Still in flight: its answer's time, not known yet, starts the window.
            return { granted: false, waitMs: Math.min(this.pollMs, at + this.abandonedAfterMs - now) };
          }
          windowOpensAt = (oldest.settled ? at : at + this.abandonedAfterMs) + windowMs;
        }
        const gapOpensAt = last ? Number(last.atMs) + minGapMs : now;
        const waitMs = Math.max(windowOpensAt, gapOpensAt) - now;
        if (waitMs > 0) return { granted: false, waitMs };

        const grant = randomUUID();
        await tx.$executeRawUnsafe(
          `INSERT INTO "TrackingMoreRateSlot" ("account", "rateClass", "slot", "atMs", "settled", "grant")
           VALUES ($1, $2, $3, $4::bigint, false, $5)
           ON CONFLICT ("account", "rateClass", "slot") DO UPDATE
           SET "atMs" = EXCLUDED."atMs", "settled" = false, "grant" = EXCLUDED."grant"`,
          account,
          rateClass,
          slot,
          now,
          grant,
        );
        // Past one full ring the count only needs its position in the ring (and to stay "full").
        const nextSeq = seq + 1 >= 2 * allowance ? seq + 1 - allowance : seq + 1;
        await tx.$executeRawUnsafe(
          `UPDATE "TrackingMoreAccountRate" SET ${seqColumn} = $2 WHERE "account" = $1`,
          account,
          nextSeq,
        );
        return { granted: true, slot, grant };
      },
      { maxWait: 10_000, timeout: 10_000 },
    );
  }

  private releaser(account: string, rateClass: RateClass, slot: number | null, grant: string): ReleaseSlot {
    if (slot === null) return () => {};
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      try {
        await this.db.$executeRawUnsafe(
          `UPDATE "TrackingMoreRateSlot" SET "atMs" = GREATEST("atMs", ${NOW_MS}), "settled" = true
           WHERE "account" = $1 AND "rateClass" = $2 AND "slot" = $3 AND "grant" = $4`,
          account,
          rateClass,
          slot,
          grant,
        );
      } catch (error) {
        // Unsettled, the slot holds its place until it counts as abandoned: slower, never faster.
        log.warn({ err: error, rateClass }, "could not settle a TrackingMore rate slot");
      }
    };
  }
}
