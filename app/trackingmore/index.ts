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
  trackingMoreOutcome,
  type TrackingMoreOutcome,
} from "./errors";
export { parseTracking, parseDate } from "./parse";
export {
  DEFAULT_RATE_LIMITS,
  resetRateLimiters,
  realClock,
  type Clock,
  type RateLimits,
  type RateClass,
} from "./rate-limiter";
export * from "./types";
