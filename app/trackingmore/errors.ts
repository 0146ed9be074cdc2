/** Codes that mean "the call itself worked", whatever the HTTP status says. */
export const SUCCESS_CODES: ReadonlySet<number> = new Set([200, 201, 202]);

/** Codes worth another attempt: throttling, server trouble and our own transport failures. */
const RETRYABLE_CODES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Pseudo-codes for failures that never produced an envelope. */
export const TIMEOUT_CODE = 408;
export const NETWORK_CODE = 599;

export type TrackingMoreErrorType =
  | "Unauthorized"
  | "BadRequest"
  | "NotFound"
  | "QuotaExhausted"
  | "RateLimited"
  | "ServerError"
  | "Timeout"
  | "NetworkError"
  | "InvalidResponse"
  | string;

export class TrackingMoreError extends Error {
  readonly code: number;
  /** meta.type from the API when there was one, otherwise our own classification. */
  readonly type: TrackingMoreErrorType;
  /** 0 when no HTTP answer arrived (timeout, dropped connection, client-side validation). */
  readonly httpStatus: number;
  /** Method and path template, e.g. "GET /trackings/{carrier}/{number}" — never the key. */
  readonly endpoint: string;
  readonly retryable: boolean;

  constructor(init: {
    code: number;
    type?: string;
    message: string;
    httpStatus: number;
    endpoint: string;
    retryable?: boolean;
    cause?: unknown;
  }) {
    super(`TrackingMore ${init.endpoint} failed with ${init.code}: ${init.message}`, {
      cause: init.cause,
    });
    this.name = "TrackingMoreError";
    this.code = init.code;
    this.type = init.type ?? classify(init.code);
    this.httpStatus = init.httpStatus;
    this.endpoint = init.endpoint;
    this.retryable = init.retryable ?? isRetryableCode(init.code);
  }
}

export function isRetryableCode(code: number): boolean {
  return RETRYABLE_CODES.has(code) || code === TIMEOUT_CODE || code === NETWORK_CODE;
}

function classify(code: number): TrackingMoreErrorType {
  if (code === 401 || code === 4001 || code === 4002) return "Unauthorized";
  if (code === 4017 || code === 4031 || code === 404) return "NotFound";
  if (code === 4019 || code === 4021 || code === 402) return "QuotaExhausted";
  if (code === 429) return "RateLimited";
  if (code === TIMEOUT_CODE) return "Timeout";
  if (code === NETWORK_CODE) return "NetworkError";
  if (code >= 500 && code < 600) return "ServerError";
  return "BadRequest";
}

/** What a TrackingMore code means for the work that got it. */
export type TrackingMoreOutcome =
  | "already_exists"
  | "quota_exhausted"
  | "key_rejected"
  | "not_found"
  | "rate_limited"
  | "transient"
  | "refused";

/** One classification of TrackingMore's codes, for call-level errors and batch items alike. */
export function trackingMoreOutcome(code: number): TrackingMoreOutcome {
  if (code === 4016) return "already_exists";
  if (code === 429) return "rate_limited";
  if (code === 0 || isRetryableCode(code)) return "transient";
  const type = classify(code);
  if (type === "QuotaExhausted") return "quota_exhausted";
  if (type === "Unauthorized") return "key_rejected";
  if (type === "NotFound") return "not_found";
  return "refused";
}
