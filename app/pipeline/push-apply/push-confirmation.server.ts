import { trackingMoreClientForShop } from "~/models/settings.server";
import type { Tracking } from "~/trackingmore";

// A push is a hint, not a source of truth. TrackingMore signs only a timestamp with the
// account's email, so a captured signature verifies again on altered data, and what a push says
// ends up in Shopify (a "delivered" event may email the customer). Before a push is applied,
// each shop's own account is asked what it holds for those numbers (GET /trackings/get, 40
// numbers a call, within that account's 1 request a second), and only that answer is applied.
// A forged push can therefore cause at most a read.

const NUMBERS_PER_CALL = 40;

export interface PushToConfirm {
  trackingNumber: string;
  carrierCode: string;
  /** JSON array of the shops whose account email verified the push. */
  shops: string;
}

export interface PushConfirmations {
  /**
   * What the shop's TrackingMore account holds for the tracking: the snapshot to apply, or
   * null when it holds nothing (or the shop has no API key): nothing is applied then. Throws
   * the lookup's error when the account could not be asked, so the push waits for a retry.
   */
  snapshotFor(shop: string, ref: { carrierCode: string; trackingNumber: string }): Tracking | null;
}

const keyOf = (shop: string, carrierCode: string, trackingNumber: string) =>
  JSON.stringify([shop, carrierCode, trackingNumber]);

/** Asks each shop's TrackingMore account about the numbers these pushes name, in batches. */
export async function confirmPushes(pushes: PushToConfirm[]): Promise<PushConfirmations> {
  const numbersByShop = new Map<string, Set<string>>();
  for (const push of pushes) {
    for (const shop of JSON.parse(push.shops) as string[]) {
      const numbers = numbersByShop.get(shop) ?? new Set<string>();
      numbers.add(push.trackingNumber);
      numbersByShop.set(shop, numbers);
    }
  }
  const held = new Map<string, Tracking>();
  const failed = new Map<string, unknown>();
  for (const [shop, numbers] of numbersByShop) {
    try {
      const client = await trackingMoreClientForShop(shop);
      if (!client) continue;
      const all = [...numbers];
      for (let start = 0; start < all.length; start += NUMBERS_PER_CALL) {
        const batch = all.slice(start, start + NUMBERS_PER_CALL);
        const { items } = await client.listTrackings({ numbers: batch, limit: NUMBERS_PER_CALL * 4 });
        for (const item of items) held.set(keyOf(shop, item.carrierCode, item.trackingNumber), item);
      }
    } catch (error) {
      failed.set(shop, error);
    }
  }
  return {
    snapshotFor(shop, ref) {
      if (failed.has(shop)) throw failed.get(shop);
      return held.get(keyOf(shop, ref.carrierCode, ref.trackingNumber)) ?? null;
    },
  };
}
