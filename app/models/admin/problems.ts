import { classifyOutcome } from "~/trackingmore/errors";

// The one mapping from what went wrong (a TrackingMore code, or a reason our pipeline stored in
// lastError) to what the merchant reads: a kind, shown as the sentence `problems.<kind>` (what
// happened and what to do). Loaders send the kind, never the stored text: that text is for the
// operator's logs and CLI, and carries codes and API paths ("503: … POST /trackings/updatemore").
// Pure (no server imports), so pages may import the type and the tests run without a database.

export const PROBLEM_KINDS = [
  "no_api_key",
  "key_rejected",
  "quota_exhausted",
  "rate_limited",
  "unreachable",
  "carrier_not_detected",
  "carrier_invalid",
  "number_invalid",
  "not_found",
  "already_exists",
  "missing_field",
  "feature_inactive",
  "batch_too_large",
  "invalid_status",
  "write_back_off",
  "shopify_unreadable",
  "unknown",
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** TrackingMore's codes for a request it refuses, each in words the merchant can act on. */
const REFUSAL_BY_CODE: ReadonlyMap<number, ProblemKind> = new Map([
  [4012, "missing_field"],
  [4013, "number_invalid"],
  [4014, "number_invalid"],
  [4015, "carrier_invalid"],
  [4018, "feature_inactive"],
  [4020, "batch_too_large"],
  [4032, "carrier_not_detected"],
  [4033, "invalid_status"],
]);

/** What a TrackingMore code (meta.code, or our pseudo-codes 0/408/599) means for the merchant. */
export function problemOfCode(code: number): ProblemKind {
  switch (classifyOutcome(code)) {
    case "quota_exhausted":
      return "quota_exhausted";
    case "key_rejected":
      return "key_rejected";
    case "rate_limited":
      return "rate_limited";
    case "transient":
      return "unreachable";
    case "not_found":
      return "not_found";
    case "already_exists":
      return "already_exists";
    default:
      return REFUSAL_BY_CODE.get(code) ?? "unknown";
  }
}

/**
 * Reasons the pipeline writes in its own words, without a TrackingMore code (see
 * pipeline/dispatch/dispatch.server.ts and pipeline/write-back/send-events.server.ts), and the
 * kind each stands for. Tested against those stages' sentences.
 */
const OWN_REASONS: readonly [RegExp, ProblemKind][] = [
  [/add your trackingmore api key/i, "no_api_key"],
  [/rejected the api key/i, "key_rejected"],
  [/quota is used up/i, "quota_exhausted"],
  [/no carrier matches|could not tell the carrier/i, "carrier_not_detected"],
  [/not reachable/i, "unreachable"],
  [/write-back is turned off/i, "write_back_off"],
  [/shopify's payload cannot be read/i, "shopify_unreadable"],
];

// A TrackingMoreError's message ("TrackingMore POST /x failed with 503: …"), the dispatch's
// "(4013)", and the change push's "503: …" prefix, in that order of trust.
const CODE_PATTERNS = [/failed with (\d{1,4})\b/, /\((\d{3,4})\)/, /^(\d{1,4}):/];

/** The kind of problem a stored reason (lastError) describes; null when there is none. */
export function problemOf(reason: string | null | undefined): ProblemKind | null {
  if (!reason?.trim()) return null;
  // TrackingMore's code says more than our sentence around it ("could not tell the carrier
  // (… failed with 4013 …)" is an invalid number).
  for (const pattern of CODE_PATTERNS) {
    const match = reason.match(pattern);
    if (match) return problemOfCode(Number(match[1]));
  }
  for (const [pattern, kind] of OWN_REASONS) if (pattern.test(reason)) return kind;
  return "unknown";
}

/** The sentence a page shows for a problem (app/i18n/locales: `problems.<kind>`). */
export function problemMessageKey(kind: ProblemKind) {
  return `problems.${kind}` as const;
}
