import { describe, expect, it } from "vitest";
import { messages } from "~/i18n";
import { PROBLEM_KINDS, problemOf, problemOfCode } from "~/models/admin/problems";
import { TrackingMoreError } from "~/trackingmore/errors";

// What each stored reason reads as. The reasons are the pipeline's own sentences (dispatch,
// change push, write-back) with the errors TrackingMore really answers.
const detect4032 = new TrackingMoreError({
  code: 4032,
  message: "The carrier cannot be detected.",
  httpStatus: 400,
  endpoint: "POST /carriers/detect",
});
const update503 = new TrackingMoreError({
  code: 503,
  message: "Service Unavailable",
  httpStatus: 503,
  endpoint: "POST /trackings/updatemore",
});

describe("problemOf", () => {
  it.each([
    // change push: `${code}: ${message}`
    [`503: ${update503.message}`, "unreachable"],
    ["4013: The tracking number is invalid", "number_invalid"],
    ["0: no result for this tracking", "unreachable"],
    // dispatch
    [
      `TrackingMore could not tell the carrier of this number (${detect4032.message}); choose the carrier`,
      "carrier_not_detected",
    ],
    ["No carrier matches this number; choose the carrier", "carrier_not_detected"],
    ["TrackingMore refused this tracking (4015): carrier code invalid", "carrier_invalid"],
    ["TrackingMore refused this tracking (4017): no such number", "not_found"],
    ["TrackingMore could not take this tracking now (429): Too many requests", "rate_limited"],
    [
      "TrackingMore is not reachable right now (TrackingMore POST /trackings/batch failed with 599: fetch failed); retrying automatically",
      "unreachable",
    ],
    ["Add your TrackingMore API key in Settings to send this tracking", "no_api_key"],
    ["TrackingMore rejected the API key; check it in Settings", "key_rejected"],
    ["Your TrackingMore quota is used up; sending resumes when quota is added", "quota_exhausted"],
    [
      "TrackingMore refused the request: TrackingMore POST /trackings/batch failed with 4021: no quota",
      "quota_exhausted",
    ],
    [
      "TrackingMore refused the request: TrackingMore POST /trackings/batch failed with 4001: bad key",
      "key_rejected",
    ],
    // write-back and ingest
    ["write-back is turned off for this shop", "write_back_off"],
    ["Shopify's payload cannot be read: tracking_numbers: expected an array", "shopify_unreadable"],
    // anything else: the generic sentence, never the text itself
    ["TypeError: Cannot read properties of undefined (reading 'x')", "unknown"],
    ["TrackingMore refused this tracking (4999): something new", "unknown"],
  ])("%s → %s", (reason, kind) => {
    expect(problemOf(reason)).toBe(kind);
  });

  it("is null when nothing went wrong", () => {
    expect(problemOf(null)).toBeNull();
    expect(problemOf(undefined)).toBeNull();
    expect(problemOf("  ")).toBeNull();
  });
});

describe("problemOfCode", () => {
  it.each([
    [4032, "carrier_not_detected"],
    [503, "unreachable"],
    [500, "unreachable"],
    [408, "unreachable"],
    [599, "unreachable"],
    [429, "rate_limited"],
    [4019, "quota_exhausted"],
    [4021, "quota_exhausted"],
    [402, "quota_exhausted"],
    [401, "key_rejected"],
    [4001, "key_rejected"],
    [4016, "already_exists"],
    [4031, "not_found"],
    [4012, "missing_field"],
    [4018, "feature_inactive"],
    [4020, "batch_too_large"],
    [4033, "invalid_status"],
    [403, "unknown"],
  ])("%i → %s", (code, kind) => {
    expect(problemOfCode(code)).toBe(kind);
  });
});

describe("problem sentences", () => {
  it("every kind has a sentence in every locale, free of codes and API paths", () => {
    for (const locale of Object.values(messages)) {
      for (const kind of PROBLEM_KINDS) {
        const sentence = (locale as Record<string, string>)[`problems.${kind}`];
        expect(sentence, kind).toBeTruthy();
        expect(sentence).not.toMatch(/\d{3}|\/[a-z]+\//);
      }
    }
  });
});
