/** Codes that mean "the call itself worked", whatever the HTTP status says. */
export const SUCCESS_CODES: ReadonlySet<number> = new Set([200, 201, 202]);

/** Pseudo-codes for failures that never produced an envelope. */
export const TIMEOUT_CODE = 408;
export const NETWORK_CODE = 599;

/**
 * What a TrackingMore answer means for the work that asked, decided here once for every stage
 * (dispatch, change push, polling, settings). Codes are `meta.code` (the truth, whatever the
 * HTTP status), our pseudo-codes above, or 0 for a failure that was not TrackingMore's.
 *
 * - `quota_exhausted`: the account cannot take more work until it is paid for. 4021 (quota
 *   exhausted / trial expired), 4019 (balance insufficient) and 402 (payment required) all say
 *   the same thing about the account, not about the item: stop sending, wait for quota.
 * - `key_rejected`: 401, 4001 (invalid), 4002 (deleted): only the merchant can fix it.
 * - `already_exists`: 4016; for a create, the tracking is there: link it.
 * - `not_found`: 4017, 4031 (create it first), 404.
 * - `rate_limited`: 429; the whole account pauses (about two minutes, TrackingMore says).
 * - `transient`: server trouble (5xx), no answer in time (408), no connection (599), or a
 *   failure on our side (0): the same request may work later.
 * - `refused`: anything else, TrackingMore will refuse the same request again and a person must
 *   look: 4012 (required parameter missing), 4013/4014 (number missing/invalid), 4015 (carrier
 *   code invalid), 4018 (feature needs activation), 4020 (too many items), 4032 (carrier not
 *   detected), 4033 (invalid status), 403, 405, 409, and codes we do not know. 403 stays here
 *   rather than with the key: a key TrackingMore does not know is 4001, and "forbidden" for
 *   one request says nothing about the others.
 *
 * (Meanings from TrackingMore's published v2 error-code table.)
 */
export type TrackingMoreOutcome =
  | "quota_exhausted"
  | "key_rejected"
  | "already_exists"
  | "not_found"
  | "rate_limited"
  | "transient"
  | "refused";

const OUTCOME_BY_CODE: ReadonlyMap<number, TrackingMoreOutcome> = new Map([
  [4019, "quota_exhausted"],
  [4021, "quota_exhausted"],
  [402, "quota_exhausted"],
  [401, "key_rejected"],
  [4001, "key_rejected"],
  [4002, "key_rejected"],
  [4016, "already_exists"],
  [4017, "not_found"],
  [4031, "not_found"],
  [404, "not_found"],
  [429, "rate_limited"],
  [0, "transient"],
  [TIMEOUT_CODE, "transient"],
  [NETWORK_CODE, "transient"],
]);

/**
 * Classifies a code, a TrackingMoreError, a batch item error (anything with a numeric `code`)
 * or any other thrown value (not TrackingMore's answer: transient).
 */
export function classifyOutcome(subject: unknown): TrackingMoreOutcome {
  const code =
    typeof subject === "number"
      ? subject
      : typeof subject === "object" &&
          subject !== null &&
          typeof (subject as { code?: unknown }).code === "number"
        ? (subject as { code: number }).code
        : 0;
  // Prisma and Node errors carry string codes: they fall through to 0 above.
  return OUTCOME_BY_CODE.get(code) ?? (code >= 500 && code < 600 ? "transient" : "refused");
}

/** Whether the client itself tries the same request again: throttling and transient trouble. */
export function isRetryableCode(code: number): boolean {
  const outcome = classifyOutcome(code);
  return outcome === "transient" || outcome === "rate_limited";
}

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
    this.type = init.type ?? typeOf(init.code);
    this.httpStatus = init.httpStatus;
    this.endpoint = init.endpoint;
    this.retryable = init.retryable ?? isRetryableCode(init.code);
  }

  get outcome(): TrackingMoreOutcome {
    return classifyOutcome(this.code);
  }
}

function typeOf(code: number): TrackingMoreErrorType {
  if (code === TIMEOUT_CODE) return "Timeout";
  if (code === NETWORK_CODE) return "NetworkError";
  switch (classifyOutcome(code)) {
    case "key_rejected":
      return "Unauthorized";
    case "not_found":
      return "NotFound";
    case "quota_exhausted":
      return "QuotaExhausted";
    case "rate_limited":
      return "RateLimited";
    case "transient":
      return "ServerError";
    default:
      return "BadRequest";
  }
}
