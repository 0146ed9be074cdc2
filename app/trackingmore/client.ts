import { NETWORK_CODE, SUCCESS_CODES, TIMEOUT_CODE, TrackingMoreError } from "./errors";
import {
  asArray,
  asObject,
  num,
  parseAirCargo,
  parseBatchCreate,
  parseBatchItems,
  parseCarrier,
  parseRemoteAreas,
  parseStatusCounts,
  parseTracking,
  parseTrackingPage,
  parseTransitTime,
  parseUserInfo,
  str,
} from "./parse";
import { InProcessRateGate, type RateGate } from "./rate-gate";
import { accountId, realClock, type Clock, type RateClass, type RateLimits } from "./rate-limiter";
import type {
  AirCargoResult,
  BatchCreateResult,
  BatchItemError,
  BatchItemsResult,
  Carrier,
  CreateTrackingInput,
  ListTrackingsQuery,
  RemoteAreaQuery,
  RemoteAreaResult,
  StatusCounts,
  StatusCountsQuery,
  Tracking,
  TrackingPage,
  TrackingPatch,
  TrackingRef,
  TransitTimeQuery,
  TransitTimeResult,
  UserInfo,
} from "./types";
import { createToWire, listQueryToWire, patchToWire, refToWire, statusCountsQueryToWire } from "./wire";

export const DEFAULT_BASE_URL = "https://api.trackingmore.com/v2";
/** Most items one batch call accepts (documented for batch; assumed for updatemore/delete). */
export const MAX_BATCH_ITEMS = 40;

export interface TrackingMoreLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface RetryOptions {
  /** Total attempts including the first. Default 4. */
  maxAttempts?: number;
  /** First back-off delay; doubles per attempt, with jitter. Default 500. */
  baseDelayMs?: number;
  /** Upper bound of one back-off delay. Default 30 000. */
  maxDelayMs?: number;
  /** How long the whole account pauses after a 429. Default 120 000 (TrackingMore's advice). */
  rateLimitPauseMs?: number;
}

export interface TrackingMoreClientOptions {
  apiKey: string;
  baseUrl?: string;
  /** Per attempt. Default 15 000. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** For the default gate (this process's limiter); an injected `rateGate` has its own. */
  rateLimits?: RateLimits;
  /**
   * Where calls take their turn within the account's limits and learn of its pause after a 429.
   * Default: this process's limiter, shared by every client with the same key and base URL.
   */
  rateGate?: RateGate;
  logger?: TrackingMoreLogger;
  clock?: Clock;
  /** Jitter source in [0, 1); injectable so back-off is predictable in tests. */
  random?: () => number;
}

interface CallSpec {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path template used in logs and errors, e.g. "/trackings/{carrier}/{number}". */
  endpoint: string;
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  headers?: Record<string, string>;
  rateClass?: RateClass;
  /**
   * Called when a retry fails with a business error after an earlier attempt's answer was lost
   * (timeout, dropped connection): the earlier attempt may have done the work already.
   */
  afterLostAnswer?: (error: TrackingMoreError) => Promise<unknown> | null;
  signal?: AbortSignal;
  retryLostAnswers?: boolean;
}

/** Per-call options of the calls that change data at TrackingMore. */
export interface CallOptions {
  /**
   * Aborts the call before it is sent, or while it waits for the rate limit or a retry: the
   * caller no longer wants it sent (a durable job whose claim was taken over). The abort reason
   * is thrown as is.
   */
  signal?: AbortSignal;
  /**
   * false: a timeout or dropped connection is thrown at once instead of retried, so the caller
   * can ask TrackingMore what the lost attempt did before sending anything again.
   */
  retryLostAnswers?: boolean;
}

const silentLogger: TrackingMoreLogger = { debug() {}, warn() {} };

export class TrackingMoreClient {
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retry: Required<RetryOptions>;
  private readonly logger: TrackingMoreLogger;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly gate: RateGate;
  /** The account's id for the gate: a hash of base URL and key. */
  private readonly account: string;

  constructor(opts: TrackingMoreClientOptions) {
    if (!opts.apiKey) throw new Error("TrackingMoreClient needs an apiKey");
    this.apiKey = opts.apiKey;
    this.baseUrl = (opts.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.retry = {
      maxAttempts: Math.max(1, opts.retry?.maxAttempts ?? 4),
      baseDelayMs: opts.retry?.baseDelayMs ?? 500,
      maxDelayMs: opts.retry?.maxDelayMs ?? 30_000,
      rateLimitPauseMs: opts.retry?.rateLimitPauseMs ?? 120_000,
    };
    this.logger = opts.logger ?? silentLogger;
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.gate = opts.rateGate ?? new InProcessRateGate(opts.rateLimits ?? {}, this.clock);
    this.account = accountId(this.apiKey, this.baseUrl);
  }

  /** When the account is paused after a 429 (by this process or, with a shared gate, another). */
  async rateLimitedUntil(): Promise<Date | null> {
    const until = await this.gate.pausedUntil(this.account);
    return until === null ? null : new Date(until);
  }

  // ---- single trackings -------------------------------------------------------------------

  /**
   * If an attempt's answer is lost and the retry meets 4016, the lost attempt created the
   * tracking: answer with the stored one instead of failing a create that succeeded.
   */
  async createTracking(input: CreateTrackingInput): Promise<Tracking> {
    const data = await this.call({
      method: "POST",
      endpoint: "/trackings/post",
      path: "/trackings/post",
      body: createToWire(input),
      afterLostAnswer: (error) =>
        error.code === 4016 ? this.getTrackingData(input.carrierCode, input.trackingNumber) : null,
    });
    return parseTracking(data);
  }

  async getTracking(carrierCode: string, trackingNumber: string, lang?: string): Promise<Tracking> {
    const data = await this.getTrackingData(carrierCode, trackingNumber, lang);
    return parseTracking(Array.isArray(data) ? data[0] : data);
  }

  private getTrackingData(carrierCode: string, trackingNumber: string, lang?: string): Promise<unknown> {
    const path = `/trackings/${enc(carrierCode)}/${enc(trackingNumber)}${lang ? `/${enc(lang)}` : ""}`;
    return this.call({ method: "GET", endpoint: "/trackings/{carrier}/{number}", path });
  }

  async updateTracking(carrierCode: string, trackingNumber: string, patch: TrackingPatch): Promise<Tracking> {
    const data = await this.call({
      method: "PUT",
      endpoint: "/trackings/{carrier}/{number}",
      path: `/trackings/${enc(carrierCode)}/${enc(trackingNumber)}`,
      body: patchToWire(patch),
    });
    return parseTracking(data);
  }

  async deleteTracking(carrierCode: string, trackingNumber: string): Promise<void> {
    await this.call({
      method: "DELETE",
      endpoint: "/trackings/{carrier}/{number}",
      path: `/trackings/${enc(carrierCode)}/${enc(trackingNumber)}`,
    });
  }

  async realtime(input: CreateTrackingInput & { lang?: string }): Promise<Tracking[]> {
    const data = await this.call({
      method: "POST",
      endpoint: "/trackings/realtime",
      path: "/trackings/realtime",
      body: createToWire(input),
      rateClass: "realtime",
    });
    return asArray(asObject(data).items ?? data).map(parseTracking);
  }

  async changeCarrier(ref: TrackingRef, newCarrierCode: string): Promise<void> {
    await this.call({
      method: "POST",
      endpoint: "/trackings/update",
      path: "/trackings/update",
      body: { ...refToWire(ref), update_carrier_code: newCarrierCode },
    });
  }

  // ---- batches ------------------------------------------------------------------------------

  async batchCreate(items: CreateTrackingInput[], options: CallOptions = {}): Promise<BatchCreateResult> {
    this.checkBatchSize("POST /trackings/batch", items.length);
    const data = await this.call({
      method: "POST",
      endpoint: "/trackings/batch",
      path: "/trackings/batch",
      body: items.map(createToWire),
      ...options,
    });
    return parseBatchCreate(data, items.length);
  }

  async updateMany(items: (TrackingRef & TrackingPatch)[]): Promise<BatchItemsResult> {
    this.checkBatchSize("POST /trackings/updatemore", items.length);
    const body = items.map((item) => ({ ...refToWire(item), ...patchToWire(item) }));
    const data = await this.call({
      method: "POST",
      endpoint: "/trackings/updatemore",
      path: "/trackings/updatemore",
      body,
    });
    return parseBatchItems(data, items.length);
  }

  async deleteMany(items: TrackingRef[]): Promise<BatchItemsResult> {
    this.checkBatchSize("POST /trackings/delete", items.length);
    const data = await this.call({
      method: "POST",
      endpoint: "/trackings/delete",
      path: "/trackings/delete",
      body: items.map(refToWire),
    });
    return parseBatchItems(data, items.length);
  }

  async stopUpdating(items: TrackingRef[]): Promise<BatchItemsResult> {
    this.checkBatchSize("POST /trackings/notupdate", items.length);
    const data = await this.call({
      method: "POST",
      endpoint: "/trackings/notupdate",
      path: "/trackings/notupdate",
      body: items.map(refToWire),
    });
    return parseBatchItems(data, items.length);
  }

  /** Any number of items, 40 per call, one call after another. A failed call fails its items. */
  async batchCreateAll(items: CreateTrackingInput[]): Promise<BatchCreateResult> {
    const merged: BatchCreateResult = { submitted: 0, added: 0, trackings: [], errors: [] };
    for (const chunk of chunks(items, MAX_BATCH_ITEMS)) {
      try {
        const result = await this.batchCreate(chunk);
        merged.submitted += result.submitted;
        merged.added += result.added;
        merged.trackings.push(...result.trackings);
        merged.errors.push(...result.errors);
      } catch (error) {
        merged.submitted += chunk.length;
        merged.errors.push(...failAll(chunk, error));
      }
    }
    return merged;
  }

  async updateManyAll(items: (TrackingRef & TrackingPatch)[]): Promise<BatchItemsResult> {
    return this.inChunks(items, (chunk) => this.updateMany(chunk));
  }

  async deleteManyAll(items: TrackingRef[]): Promise<BatchItemsResult> {
    return this.inChunks(items, (chunk) => this.deleteMany(chunk));
  }

  // ---- queries ------------------------------------------------------------------------------

  async listTrackings(
    query: ListTrackingsQuery = {},
    options: Pick<CallOptions, "signal"> = {},
  ): Promise<TrackingPage> {
    if ((query.numbers?.length ?? 0) > MAX_BATCH_ITEMS || (query.orders?.length ?? 0) > MAX_BATCH_ITEMS) {
      throw tooMany("GET /trackings/get", "numbers/orders filters take at most 40 values");
    }
    const data = await this.call({
      method: "GET",
      endpoint: "/trackings/get",
      path: "/trackings/get",
      query: listQueryToWire(query),
      rateClass: "list",
      ...options,
    });
    return parseTrackingPage(data);
  }

  /** Every page of a listing, one call per page (each paced by the 1/s list limit). */
  async *iterateTrackings(query: Omit<ListTrackingsQuery, "page"> = {}): AsyncGenerator<Tracking> {
    for (let page = 1; ; page++) {
      const result = await this.listTrackings({ ...query, page });
      yield* result.items;
      if (result.items.length === 0 || page * result.limit >= result.total) return;
    }
  }

  async getUserInfo(): Promise<UserInfo> {
    const data = await this.call({
      method: "GET",
      endpoint: "/trackings/getuserinfo",
      path: "/trackings/getuserinfo",
    });
    return parseUserInfo(data);
  }

  async getStatusCounts(query: StatusCountsQuery = {}): Promise<StatusCounts> {
    const data = await this.call({
      method: "GET",
      endpoint: "/trackings/getstatusnumber",
      path: "/trackings/getstatusnumber",
      query: statusCountsQueryToWire(query),
    });
    return parseStatusCounts(data);
  }

  async checkRemoteAreas(items: RemoteAreaQuery[]): Promise<RemoteAreaResult> {
    const body = items.map((i) =>
      dropUndefined({ country: i.country, postcode: i.postcode, city: i.city, company: i.company }),
    );
    const data = await this.call({
      method: "POST",
      endpoint: "/trackings/remote",
      path: "/trackings/remote",
      body,
    });
    return parseRemoteAreas(data, items.length);
  }

  async transitTimes(items: TransitTimeQuery[]): Promise<TransitTimeResult[]> {
    const body = items.map((i) => ({
      carrier_code: i.carrierCode,
      original: i.original,
      destination: i.destination,
    }));
    const data = await this.call({
      method: "POST",
      endpoint: "/trackings/costtime",
      path: "/trackings/costtime",
      body,
    });
    return asArray(data).map(parseTransitTime);
  }

  async airCargo(numbers: string[], lang?: string): Promise<AirCargoResult[]> {
    const data = await this.call({
      method: "POST",
      endpoint: "/trackings/aircargo",
      path: "/trackings/aircargo",
      body: dropUndefined({ track_number: numbers, lang }),
    });
    // One number may come back as a bare object rather than a list.
    const list = Array.isArray(data) ? data : [data];
    return list.map(parseAirCargo);
  }

  async listCarriers(lang?: string): Promise<Carrier[]> {
    const data = await this.call({
      method: "GET",
      endpoint: "/carriers",
      path: "/carriers",
      headers: lang ? { Lang: lang } : undefined,
    });
    return asArray(data).map(parseCarrier);
  }

  async detectCarrier(trackingNumber: string): Promise<Carrier[]> {
    const data = await this.call({
      method: "POST",
      endpoint: "/carriers/detect",
      path: "/carriers/detect",
      body: { tracking_number: trackingNumber },
    });
    return asArray(data).map(parseCarrier);
  }

  // ---- transport ----------------------------------------------------------------------------

  private async call(spec: CallSpec): Promise<unknown> {
    const endpoint = `${spec.method} ${spec.endpoint}`;
    let answerLost = false;
    for (let attempt = 1; ; attempt++) {
      spec.signal?.throwIfAborted();
      const release = await this.gate.acquire(this.account, spec.rateClass ?? "default", spec.signal);
      spec.signal?.throwIfAborted();
      this.logger.debug({ endpoint, attempt }, "trackingmore request");
      let error: TrackingMoreError;
      try {
        const data = await this.attempt(spec, endpoint);
        this.logger.debug({ endpoint, attempt }, "trackingmore call succeeded");
        return data;
      } catch (caught) {
        if (!(caught instanceof TrackingMoreError)) throw caught;
        error = caught;
      } finally {
        await release();
      }
      // Every caller of the account waits, this one's last attempt or not: the next call would
      // only meet another 429.
      if (error.outcome === "rate_limited")
        await this.gate.pauseAccount(this.account, this.retry.rateLimitPauseMs);
      const lost = error.code === TIMEOUT_CODE || error.code === NETWORK_CODE;
      const willRetry =
        error.retryable && attempt < this.retry.maxAttempts && !(lost && spec.retryLostAnswers === false);
      this.logger.warn(
        { endpoint, attempt, code: error.code, httpStatus: error.httpStatus, willRetry },
        "trackingmore call failed",
      );
      if (!willRetry) {
        const recovery = answerLost && !error.retryable ? spec.afterLostAnswer?.(error) : null;
        if (recovery) return recovery;
        throw error;
      }
      answerLost ||= lost;
      // After a 429 the gate holds the next attempt until the pause ends.
      if (error.outcome !== "rate_limited") await this.clock.sleep(this.backoffMs(attempt), spec.signal);
    }
  }

  private backoffMs(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    // "Equal jitter": at least half the ceiling, so retries never bunch up at zero.
    return ceiling / 2 + (ceiling / 2) * this.random();
  }

  private async attempt(spec: CallSpec, endpoint: string): Promise<unknown> {
    const url = `${this.baseUrl}${spec.path}${spec.query && [...spec.query].length ? `?${spec.query}` : ""}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: spec.method,
        headers: { "Content-Type": "application/json", "Trackingmore-Api-Key": this.apiKey, ...spec.headers },
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: spec.signal
          ? AbortSignal.any([AbortSignal.timeout(this.timeoutMs), spec.signal])
          : AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (cause) {
      // The caller's own abort is not TrackingMore's failure.
      if (spec.signal?.aborted) throw spec.signal.reason;
      const timedOut =
        cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
      throw new TrackingMoreError({
        code: timedOut ? TIMEOUT_CODE : NETWORK_CODE,
        message: timedOut
          ? `no answer within ${this.timeoutMs} ms`
          : `connection failed (${this.redact(describe(cause))})`,
        httpStatus: 0,
        endpoint,
      });
    }

    let envelope: Record<string, unknown> | null = null;
    try {
      envelope = asObject(JSON.parse(text));
    } catch {
      envelope = null;
    }
    const meta = envelope ? asObject(envelope.meta) : {};
    const code = num(meta.code);
    if (code === null) {
      // No envelope (a proxy's HTML page, an empty body): judge by the HTTP status alone.
      const httpCode = response.ok ? 502 : response.status;
      throw new TrackingMoreError({
        code: httpCode,
        type: "InvalidResponse",
        message: `unexpected response (HTTP ${response.status})`,
        httpStatus: response.status,
        endpoint,
      });
    }
    if (SUCCESS_CODES.has(code)) return envelope?.data ?? null;
    throw new TrackingMoreError({
      code,
      type: str(meta.type) ?? undefined,
      message: this.redact(str(meta.message) ?? "no message"),
      httpStatus: response.status,
      endpoint,
    });
  }

  /** Whatever the server or the network stack says, the key must not leak into logs. */
  private redact(text: string): string {
    return text.split(this.apiKey).join("[redacted]");
  }

  private checkBatchSize(endpoint: string, count: number): void {
    if (count > MAX_BATCH_ITEMS)
      throw tooMany(endpoint, `${count} items given, at most ${MAX_BATCH_ITEMS} per call`);
  }

  private async inChunks<T extends TrackingRef>(
    items: T[],
    send: (chunk: T[]) => Promise<BatchItemsResult>,
  ): Promise<BatchItemsResult> {
    const merged: BatchItemsResult = { submitted: 0, succeeded: [], errors: [] };
    for (const chunk of chunks(items, MAX_BATCH_ITEMS)) {
      try {
        const result = await send(chunk);
        merged.submitted += result.submitted;
        merged.succeeded.push(...result.succeeded);
        merged.errors.push(...result.errors);
      } catch (error) {
        merged.submitted += chunk.length;
        merged.errors.push(...failAll(chunk, error));
      }
    }
    return merged;
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function failAll(chunk: TrackingRef[], error: unknown): BatchItemError[] {
  const code = error instanceof TrackingMoreError ? error.code : 0;
  const message = error instanceof Error ? error.message : String(error);
  return chunk.map((item) => ({
    trackingNumber: item.trackingNumber,
    carrierCode: item.carrierCode,
    code,
    message,
  }));
}

function tooMany(endpoint: string, message: string): TrackingMoreError {
  return new TrackingMoreError({ code: 4020, message, httpStatus: 0, endpoint, retryable: false });
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : "";
  return `${cause.message}${inner}`;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
