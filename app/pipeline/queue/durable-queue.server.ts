import { randomUUID } from "node:crypto";
import { appConfig } from "~/config.server";
import prisma from "~/db/client.server";
import { sqlDateTime, sqlParameterMarkers } from "~/db/sql.server";
import { logger } from "~/logger.server";
import { retryDelayMs, type BackoffOptions } from "./backoff.server";

// Every pipeline stage's work is rows of one table, and every stage takes them the same way:
//
// - claim: one statement marks up to N due rows with a fresh fencing token and a lease expiry
//   (PostgreSQL: FOR UPDATE SKIP LOCKED, so workers claim disjoint rows without waiting; SQLite:
//   the statement is atomic under its single writer);
// - work: the stage reads the claimed rows by token, renews the lease while it works (a call
//   to TrackingMore can wait out a rate-limit pause longer than any fixed lease) and re-checks
//   the claim before anything leaves the process;
// - settle: every write about a claimed row carries `"leaseOwner" = token`, so a worker whose
//   lease expired and was taken over writes nothing (`fenced`);
// - fail: one item's error is recorded on that item alone; it is retried with back-off, and after
//   `maxAttempts` (or at once, for an error that no retry can mend) it is dead-lettered: kept,
//   with its reason, out of the way of the others, visible to merchant and operator, retryable.

export type QueueTable =
  "WebhookDelivery" | "Tracking" | "TrackingMorePush" | "FulfillmentEventRecord" | "BackfillJob";

export interface QueueDefinition {
  /** The stage, as logs and dead-letter lists name it. */
  stage: string;
  table: QueueTable;
  /** The table's primary key column. */
  key: string;
  leaseMs: number;
  /** Failed attempts before an item is dead-lettered. */
  maxAttempts: number;
  backoff: BackoffOptions;
}

/** Raw SQL condition with its values, `?` markers in order (numbered for PostgreSQL here). */
export interface SqlCondition {
  sql: string;
  values: (string | number | null)[];
}

export interface Claim {
  key: string;
  token: string;
  /** Failed attempts before this claim. */
  attempts: number;
}

export interface ClaimOptions {
  /** The stage's own condition for "this row is my work" (besides due, unleased, not dead). */
  where: SqlCondition;
  /** ORDER BY expression, e.g. `"receivedAt"`. */
  orderBy: string;
  limit: number;
  now?: Date;
}

/** A stage's error that no retry can mend (unparseable input, a refusal): dead-letter at once. */
export class PermanentFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentFailure";
  }
}

/** The reason a claim's signal aborts: another worker holds (some of) the items now. */
export class ClaimLost extends Error {
  constructor(stage: string) {
    super(`${stage}: the claim was taken over by another worker`);
    this.name = "ClaimLost";
  }
}

/** Claims' keys grouped by the claim (token) they were taken in: one statement per claim. */
export function keysByToken(claims: readonly Pick<Claim, "key" | "token">[]): Map<string, string[]> {
  const byToken = new Map<string, string[]>();
  for (const { key, token } of claims) byToken.set(token, [...(byToken.get(token) ?? []), key]);
  return byToken;
}

const q = (identifier: string) => `"${identifier}"`;

/** `?` → `$n` for PostgreSQL, numbering from `first`. */
function numbered(sql: string, first: number): string {
  if (appConfig().databaseProvider !== "postgresql") return sql;
  let n = first;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Dead-letter reasons are shown to merchants; keep them to a readable length. */
const MAX_REASON = 1_000;

export class DurableQueue {
  private readonly log;

  constructor(readonly definition: QueueDefinition) {
    this.log = logger.child({ component: definition.stage });
  }

  /**
   * Claims up to `limit` due rows: not dead, not processed (the stage's `where`), due
   * (`nextAttemptAt` unset or past) and not leased (or the lease expired). Returns the claims,
   * oldest first; read the rows by key and token (`fenced`).
   */
  async claim({ where, orderBy, limit, now = new Date() }: ClaimOptions): Promise<Claim[]> {
    const { table, key, leaseMs } = this.definition;
    const token = randomUUID();
    const at = sqlDateTime(now);
    const until = sqlDateTime(new Date(now.getTime() + leaseMs));
    const postgres = appConfig().databaseProvider === "postgresql";
    const [tokenMarker, untilMarker] = sqlParameterMarkers(2);
    const [dueMarker, freeMarker] = sqlParameterMarkers(2, 2);
    // Markers in text order: SQLite binds `?` by position.
    const inner =
      `SELECT ${q(key)} FROM ${q(table)} WHERE "deadAt" IS NULL` +
      ` AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${dueMarker})` +
      ` AND ("leaseUntil" IS NULL OR "leaseUntil" < ${freeMarker}) AND (${numbered(where.sql, 4)})` +
      ` ORDER BY ${orderBy} LIMIT ${Math.max(1, Math.floor(limit))}` +
      (postgres ? " FOR UPDATE SKIP LOCKED" : "");
    const rows = await prisma.$queryRawUnsafe<{ key: string; attempts: number | bigint }[]>(
      `UPDATE ${q(table)} SET "leaseOwner" = ${tokenMarker}, "leaseUntil" = ${untilMarker}
       WHERE ${q(key)} IN (${inner}) RETURNING ${q(key)} AS "key", "attempts" AS "attempts"`,
      token,
      until,
      at,
      at,
      ...where.values,
    );
    return rows.map((row) => ({ key: row.key, token, attempts: Number(row.attempts) }));
  }

  /** The condition that a write about a claimed row must carry: it still holds the claim. */
  fenced(claim: Pick<Claim, "key" | "token">): { [column: string]: string } {
    return { [this.definition.key]: claim.key, leaseOwner: claim.token };
  }

  /**
   * Extends the lease of the claims still held; returns the keys held (a claim whose lease was
   * taken over is not). Call before anything leaves the process, and while waiting.
   */
  async renew(claims: Claim[], now: Date = new Date()): Promise<Set<string>> {
    if (claims.length === 0) return new Set();
    const { table, key, leaseMs } = this.definition;
    const held = new Set<string>();
    for (const [token, keys] of keysByToken(claims)) {
      const markers = sqlParameterMarkers(keys.length + 3);
      const rows = await prisma.$queryRawUnsafe<{ key: string }[]>(
        `UPDATE ${q(table)} SET "leaseUntil" = ${markers[0]}
         WHERE "leaseOwner" = ${markers[1]} AND ("leaseUntil" IS NULL OR "leaseUntil" >= ${markers[2]})
           AND ${q(key)} IN (${markers.slice(3).join(", ")})
         RETURNING ${q(key)} AS "key"`,
        sqlDateTime(new Date(now.getTime() + leaseMs)),
        token,
        sqlDateTime(now),
        ...keys,
      );
      for (const row of rows) held.add(row.key);
    }
    return held;
  }

  /**
   * Runs `work` while renewing the claims' lease every third of it. `stillHeld()` tells the
   * work which claims survived the last renewal; `signal` aborts when any claim is lost, or when
   * renewals failed for half a lease (the lease may have run out): pass it to whatever would
   * send the items out, so a worker that lost its claim never sends.
   */
  async whileHeld<T>(
    claims: Claim[],
    work: (stillHeld: () => Set<string>, signal: AbortSignal) => Promise<T>,
    { clock = () => new Date() }: { clock?: () => Date } = {},
  ): Promise<T> {
    let held = new Set(claims.map((c) => c.key));
    const lost = new AbortController();
    const { leaseMs } = this.definition;
    let renewedAt = clock().getTime();
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(
      () => {
        renewing = renewing
          .then(async () => {
            const now = clock();
            const renewed = await this.renew(
              claims.filter((c) => held.has(c.key)),
              now,
            );
            held = new Set([...held].filter((k) => renewed.has(k)));
            renewedAt = now.getTime();
            if (held.size < claims.length) lost.abort(new ClaimLost(this.definition.stage));
          })
          .catch((error) => {
            this.log.warn({ err: messageOf(error) }, "lease renewal failed");
            if (clock().getTime() - renewedAt > leaseMs / 2) lost.abort(new ClaimLost(this.definition.stage));
          });
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    timer.unref?.();
    try {
      return await work(() => held, lost.signal);
    } finally {
      clearInterval(timer);
      await renewing;
    }
  }

  /**
   * An attempt failed: retried after back-off, or dead-lettered once attempts run out or the
   * failure is permanent. Fenced: a claim taken over meanwhile records nothing. `extra` columns
   * are written alongside (e.g. a state the merchant sees while it waits).
   */
  async fail(
    claim: Claim,
    error: unknown,
    { now = new Date(), extra = {} }: { now?: Date; extra?: Record<string, unknown> } = {},
  ): Promise<"retry" | "dead" | "lost"> {
    const attempts = claim.attempts + 1;
    const reason = messageOf(error).slice(0, MAX_REASON);
    const dead = error instanceof PermanentFailure || attempts >= this.definition.maxAttempts;
    const data = {
      ...extra,
      attempts,
      lastError: reason,
      leaseOwner: null,
      leaseUntil: null,
      ...(dead
        ? { deadAt: now }
        : { nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, this.definition.backoff)) }),
    };
    const written = await this.updateFenced([claim], data);
    if (written === 0) return "lost";
    this.log[dead ? "error" : "warn"](
      { key: claim.key, attempts, err: reason },
      dead ? "dead-lettered" : "attempt failed; will retry",
    );
    return dead ? "dead" : "retry";
  }

  /** Lets go of claims without counting an attempt (e.g. work deferred to a later round). */
  async release(claims: Claim[], data: Record<string, unknown> = {}): Promise<number> {
    return this.updateFenced(claims, { ...data, leaseOwner: null, leaseUntil: null });
  }

  /** A fenced update of claimed rows through Prisma (the stage's table delegate). */
  async updateFenced(claims: Claim[], data: Record<string, unknown>): Promise<number> {
    let count = 0;
    for (const [token, keys] of keysByToken(claims)) {
      const result = await this.delegate().updateMany({
        where: { [this.definition.key]: { in: keys }, leaseOwner: token },
        data,
      });
      count += result.count;
    }
    return count;
  }

  /**
   * Runs `work` for each claim on its own: one item's error is recorded on that item (retry or
   * dead letter) and never fails the others. Returns how many items succeeded.
   */
  async eachItem<T extends { claim: Claim }>(
    items: T[],
    work: (item: T) => Promise<void>,
    { now }: { now?: () => Date } = {},
  ): Promise<number> {
    let succeeded = 0;
    for (const item of items) {
      try {
        await work(item);
        succeeded++;
      } catch (error) {
        await this.fail(item.claim, error, { now: now?.() }).catch((failError) =>
          this.log.error({ err: messageOf(failError), key: item.claim.key }, "could not record a failure"),
        );
      }
    }
    return succeeded;
  }

  private delegate(): { updateMany(args: { where: object; data: object }): Promise<{ count: number }> } {
    const name = this.definition.table.charAt(0).toLowerCase() + this.definition.table.slice(1);
    return (prisma as unknown as Record<string, ReturnType<DurableQueue["delegate"]>>)[name];
  }
}

export function durableQueue(definition: QueueDefinition): DurableQueue {
  return new DurableQueue(definition);
}
