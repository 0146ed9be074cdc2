import { appConfig } from "~/config.server";
import prisma from "~/db/client.server";
import { getShopSettings } from "~/models/settings.server";
import { countDeadLetters } from "~/pipeline/queue/dead-letters.server";
import { trackingMoreClientForShop } from "~/models/settings.server";
import { TrackingMoreError } from "~/trackingmore";
import type { BlockingState } from "./blocking-states";

// What stops TrackBridge from doing its job for a shop, in the order a merchant should fix it.
// Our own database answers at once; TrackingMore's answer (quota, reachability) is asked
// separately, after the page has rendered, so a slow TrackingMore never holds the page.

// The account check does not wait longer than this for TrackingMore's user info.
const ACCOUNT_WAIT_MS = 3_000;

/** The states our database knows: no key, a key TrackingMore refused, quota used up. */
export async function localBlockingStates(
  shop: string,
  /** What the caller has read already (the dashboard has both), so it is not read twice. */
  known: { hasApiKey?: boolean; deadLetters?: number } = {},
): Promise<BlockingState[]> {
  const [hasApiKey, row, deadTotal] = await Promise.all([
    known.hasApiKey ?? getShopSettings(shop).then((settings) => settings.hasApiKey),
    prisma.shop.findUnique({ where: { domain: shop }, select: { dispatchPausedReason: true } }),
    known.deadLetters ?? countDeadLetters(shop).then((counts) => counts.total),
  ]);
  // What the pipeline gave up on: listed, with reasons and retry, on the dashboard.
  const deadLetters: BlockingState[] =
    deadTotal > 0 ? [{ kind: "dead_letters", count: deadTotal, href: "/app#dead-letters" }] : [];
  if (!hasApiKey) return [{ kind: "no_api_key" }, ...deadLetters];
  if (row?.dispatchPausedReason === "api_key_rejected") return [{ kind: "api_key_rejected" }, ...deadLetters];
  if (row?.dispatchPausedReason === "quota_exhausted") return [{ kind: "quota_exhausted" }, ...deadLetters];
  return deadLetters;
}

export interface AccountCheck {
  /** null when TrackingMore could not be asked (no key, or it did not answer). */
  quotaRemaining: number | null;
  blocking: BlockingState[];
}

/** Asks TrackingMore for the account's quota; its silence or refusal becomes a blocking state. */
export async function checkTrackingMoreAccount(shop: string): Promise<AccountCheck> {
  const client = await trackingMoreClientForShop(shop);
  if (!client) return { quotaRemaining: null, blocking: [{ kind: "no_api_key" }] };
  const timeout = new Promise<"timeout">((resolve) =>
    setTimeout(resolve, ACCOUNT_WAIT_MS, "timeout").unref(),
  );
  try {
    const info = await Promise.race([client.getUserInfo(), timeout]);
    if (info === "timeout") return { quotaRemaining: null, blocking: [{ kind: "trackingmore_unreachable" }] };
    return {
      quotaRemaining: info.remainingQuota,
      blocking: info.remainingQuota <= 0 ? [{ kind: "quota_exhausted" }] : [],
    };
  } catch (error) {
    if (!(error instanceof TrackingMoreError)) throw error;
    if (error.type === "Unauthorized")
      return { quotaRemaining: null, blocking: [{ kind: "api_key_rejected" }] };
    if (error.type === "QuotaExhausted")
      return { quotaRemaining: 0, blocking: [{ kind: "quota_exhausted" }] };
    return { quotaRemaining: null, blocking: [{ kind: "trackingmore_unreachable" }] };
  }
}

/** The URL TrackingMore pushes status changes to (set in TrackingMore's webhook settings). */
export function trackingMoreWebhookUrl(): string {
  return new URL("/webhooks/trackingmore", appConfig().appUrl).toString();
}
