export {
  TrackingMoreClient,
  DEFAULT_BASE_URL,
  MAX_BATCH_ITEMS,
  type TrackingMoreClientOptions,
  type TrackingMoreLogger,
  type RetryOptions,
  type CallOptions,
} from "./client";
export {
  TrackingMoreError,
  SUCCESS_CODES,
  TIMEOUT_CODE,
  NETWORK_CODE,
  isRetryableCode,
  classifyOutcome,
  type TrackingMoreOutcome,
} from "./errors";
export { InProcessRateGate, type RateGate, type ReleaseSlot } from "./rate-gate";
export { parseTracking, parseDate } from "./parse";
export {
  DEFAULT_RATE_LIMITS,
  accountId,
  classLimit,
  resetRateLimiters,
  realClock,
  type Clock,
  type RateLimits,
  type RateClass,
} from "./rate-limiter";
export * from "./types";
