import { createHmac, timingSafeEqual } from "node:crypto";
import { appConfig } from "~/config.server";
import prisma, { queryOnRequestPath } from "~/db/client.server";
import { insertStatements, newRowId, sqlParameterMarkers } from "~/db/sql.server";
import { batchedCalls } from "~/lib/batched-calls.server";
import { logger } from "~/logger.server";
import { readableSecret } from "~/models/settings.server";
import { firstSighting, pushKey } from "./push-replay.server";

// TrackingMore pushes every shop's changes to one URL, signed with the account's email rather
// than by Shopify. A tracking number can belong to several shops: each candidate shop's own
// email must verify the signature, and only shops whose signature verifies are changed.
// The webhook only verifies and keeps the push (TrackingMorePush, committed before the 200);
// applyReceivedPushes stores the status and queues the Shopify event, so a crash in between
// loses nothing.

/** Pushes whose timeStr is further than this from our clock are refused (replays). */
export const DEFAULT_PUSH_MAX_AGE_SECONDS = 600;

export interface PushVerifyInfo {
  timeStr: string;
  signature: string;
}

export interface PushOptions {
  now?: Date;
  maxAgeSeconds?: number;
}

// Unknown numbers, bad signatures and replays get the same 200 as an accepted push, so the
// endpoint tells nobody which numbers exist or whether a signature verified.
export type PushResult =
  | { httpStatus: 200; result: "accepted"; shops: string[] }
  | { httpStatus: 200; result: "unknown_tracking" | "bad_signature" | "replayed" }
  | { httpStatus: 400; result: "malformed"; reason: string };

/** timeStr is Unix seconds (milliseconds accepted too); null when it is not a time at all. */
export function pushTimeOf(timeStr: string): Date | null {
  if (!/^\d{1,16}$/.test(timeStr.trim())) return null;
  const value = Number(timeStr.trim());
  return new Date(value < 1e12 ? value * 1000 : value);
}

/** HMAC-SHA256(key = account email, message = timeStr) in hex, compared in constant time. */
export function verifyPushSignature(
  email: string,
  verifyInfo: PushVerifyInfo,
  { now = new Date(), maxAgeSeconds = DEFAULT_PUSH_MAX_AGE_SECONDS }: PushOptions = {},
): boolean {
  const sentAt = pushTimeOf(verifyInfo.timeStr);
  if (!sentAt || Math.abs(now.getTime() - sentAt.getTime()) > maxAgeSeconds * 1000) return false;
  const expected = createHmac("sha256", email).update(verifyInfo.timeStr).digest();
  const given = /^[0-9a-f]+$/i.test(verifyInfo.signature) ? Buffer.from(verifyInfo.signature, "hex") : null;
  return given !== null && given.length === expected.length && timingSafeEqual(given, expected);
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function readPush(rawBody: string): { data: Json; verifyInfo: PushVerifyInfo | null } | string {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return "body is not JSON";
  }
  if (!isObject(body)) return "body is not a JSON object";
  if (!isObject(body.data)) return "no data object";
  const { tracking_number: number, carrier_code: carrier } = body.data;
  if (typeof number !== "string" || !number || typeof carrier !== "string" || !carrier) {
    return "data has no tracking_number and carrier_code";
  }
  const info = body.verifyInfo;
  const verifyInfo =
    isObject(info) && typeof info.signature === "string" && ["string", "number"].includes(typeof info.timeStr)
      ? { timeStr: String(info.timeStr), signature: info.signature }
      : null;
  return { data: body.data, verifyInfo };
}

interface CandidateShop {
  shop: string;
  cipher: string | null;
}

// Decrypting the email is the costly half of a push's check; a cipher text always decrypts to
// the same email, so it is remembered (a changed email is a new cipher text).
const emailsByCipher = new Map<string, string>();
const MAX_REMEMBERED_EMAILS = 10_000;

/** The account email, or null when this key cannot read it (that shop cannot verify pushes). */
function accountEmail(shop: string, cipher: string): string | null {
  let email = emailsByCipher.get(cipher);
  if (email === undefined) {
    const readable = readableSecret(shop, "accountEmail", cipher);
    if (readable === null) return null;
    email = readable;
    if (emailsByCipher.size >= MAX_REMEMBERED_EMAILS) emailsByCipher.clear();
    emailsByCipher.set(cipher, email);
  }
  return email;
}

type CandidateRow = CandidateShop & { trackingNumber: string; carrierCode: string };

/**
 * The shops holding a tracking, with their account email cipher. Pushes are hot: lookups that
 * arrive together share one query.
 */
const candidateShops = batchedCalls(
  async (refs: { trackingNumber: string; carrierCode: string }[]): Promise<CandidateShop[][]> => {
    const numbers = [...new Set(refs.map((ref) => ref.trackingNumber))];
    const rows = await queryOnRequestPath<CandidateRow>(
      `SELECT DISTINCT t."trackingNumber" AS "trackingNumber", t."carrierCode" AS "carrierCode", t."shop" AS "shop",
         s."trackingMoreAccountEmailCipher" AS "cipher"
       FROM "Tracking" t LEFT JOIN "ShopSettings" s ON s."shop" = t."shop"
       WHERE t."trackingNumber" IN (${sqlParameterMarkers(numbers.length).join(", ")})`,
      numbers,
    );
    return refs.map((ref) =>
      rows
        .filter((r) => r.trackingNumber === ref.trackingNumber && r.carrierCode === ref.carrierCode)
        .map((r) => ({ shop: r.shop, cipher: r.cipher })),
    );
  },
  { maxPending: () => appConfig().maxPendingWrites },
);

const pushLog = logger.child({ component: "trackingmore-push" });

/**
 * Verifies a push and keeps it for the apply job (applyReceivedPushes); answers without
 * waiting for the status to be stored, so TrackingMore gets its 200 fast.
 */
export async function receiveTrackingMorePush(
  rawBody: string,
  options: PushOptions = {},
): Promise<PushResult> {
  const now = options.now ?? new Date();
  const push = readPush(rawBody);
  if (typeof push === "string") {
    pushLog.warn({ reason: push }, "malformed TrackingMore push refused");
    return { httpStatus: 400, result: "malformed", reason: push };
  }
  const ref = {
    trackingNumber: String(push.data.tracking_number),
    carrierCode: String(push.data.carrier_code),
  };
  const candidates = await candidateShops(ref);
  const verifyInfo = push.verifyInfo;
  if (candidates.length === 0) {
    // The same work as a known number's check, so the time taken does not tell either.
    if (verifyInfo) verifyPushSignature("unknown@trackbridge.invalid", verifyInfo, { ...options, now });
    pushLog.info(ref, "TrackingMore push for a tracking we do not know; ignored");
    return { httpStatus: 200, result: "unknown_tracking" };
  }
  // No email configured: that shop cannot verify pushes, polling keeps it current.
  const shops = verifyInfo
    ? candidates
        .filter((c) => {
          const email = c.cipher ? accountEmail(c.shop, c.cipher) : null;
          return email !== null && verifyPushSignature(email, verifyInfo, { ...options, now });
        })
        .map((c) => c.shop)
    : [];
  if (!verifyInfo || shops.length === 0) {
    pushLog.warn(
      { ...ref, candidates: candidates.length },
      "TrackingMore push signature did not verify for any shop",
    );
    return { httpStatus: 200, result: "bad_signature" };
  }
  const maxAgeMs = (options.maxAgeSeconds ?? DEFAULT_PUSH_MAX_AGE_SECONDS) * 1000;
  const key = pushKey({ ...verifyInfo, data: push.data });
  const sentAt = pushTimeOf(verifyInfo.timeStr) ?? now;
  if (
    !(await firstSighting({ key, expiresAt: new Date(Math.max(sentAt.getTime(), now.getTime()) + maxAgeMs) }))
  ) {
    pushLog.warn(ref, "TrackingMore push seen before (a replay); ignored");
    return { httpStatus: 200, result: "replayed" };
  }
  try {
    await keepPush({ ...ref, shops: JSON.stringify(shops), data: JSON.stringify(push.data), at: now });
  } catch (error) {
    // Not kept, so not seen: TrackingMore's retry of this push must be taken.
    await prisma.trackingMorePushSeen.deleteMany({ where: { key } }).catch(() => {});
    throw error;
  }
  return { httpStatus: 200, result: "accepted", shops };
}

/**
 * Group commit: pushes that arrive together are written in one statement (one transaction, one
 * journal sync), and each answer waits for the commit that holds its push.
 */
const keepPush = batchedCalls(
  async (
    pushes: { trackingNumber: string; carrierCode: string; shops: string; data: string; at: Date }[],
  ) => {
    const rows = pushes.map(({ at, ...push }) => ({
      id: newRowId(),
      ...push,
      receivedAt: at,
      nextAttemptAt: at,
    }));
    for (const { sql, values } of insertStatements("TrackingMorePush", rows))
      await queryOnRequestPath(sql, values);
    return pushes.map(() => undefined);
  },
);
