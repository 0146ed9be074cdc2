import { appConfig } from "~/config.server";
import prisma, { type TransactionClient } from "~/db/client.server";
import { retryDelayMs } from "~/pipeline/queue/backoff.server";
import { decryptSecret } from "~/lib/secrets.server";
import { logger } from "~/logger.server";
import { isAtTrackingMore } from "~/pipeline/change-push/tracking-changes.server";
import { trackingMoreClientForKey } from "~/trackingmore.server";
import type { TrackingRef } from "~/trackingmore";

// shop/redact deletes the shop's rows here in one transaction; TrackingMore's copies of its
// customers' names, emails and phones are cleared afterwards by update many (40 a call),
// through RemoteCustomerErasure rows written in that same transaction, so a TrackingMore outage
// (or a crash) delays the erasure there but never skips it.

const log = logger.child({ component: "shop-erasure" });
const TRACKINGS_PER_CALL = 40;

/**
 * Within shop/redact's transaction: queues the clearing at TrackingMore of every tracking of
 * the shop that is there and still carries customer data. Returns how many calls were queued.
 */
export async function queueRemoteCustomerErasure(tx: TransactionClient, shop: string): Promise<number> {
  const settings = await tx.shopSettings.findUnique({
    where: { shop },
    select: { trackingMoreApiKeyCipher: true },
  });
  if (!settings?.trackingMoreApiKeyCipher) return 0;
  const rows = await tx.tracking.findMany({
    where: {
      shop,
      OR: [
        { customerName: { not: null } },
        { customerEmail: { not: null } },
        { customerPhone: { not: null } },
      ],
    },
    select: { carrierCode: true, trackingNumber: true, syncState: true, trackingMoreId: true },
  });
  const refs = rows
    .filter(isAtTrackingMore)
    .map(({ carrierCode, trackingNumber }): TrackingRef => ({ carrierCode, trackingNumber }));
  const chunks: TrackingRef[][] = [];
  for (let start = 0; start < refs.length; start += TRACKINGS_PER_CALL)
    chunks.push(refs.slice(start, start + TRACKINGS_PER_CALL));
  if (chunks.length > 0) {
    await tx.remoteCustomerErasure.createMany({
      data: chunks.map((chunk) => ({
        apiKeyCipher: settings.trackingMoreApiKeyCipher!,
        trackings: JSON.stringify(chunk),
      })),
    });
  }
  return chunks.length;
}

/**
 * The erasure job's round: clears the customer fields of each due row's trackings at
 * TrackingMore and deletes the row; a failed call waits (growing back-off) and is tried again.
 * Returns how many rows were done.
 */
export async function eraseAtTrackingMore({ now = () => new Date(), batchSize = 20 } = {}): Promise<number> {
  const due = await prisma.remoteCustomerErasure.findMany({
    where: { nextAttemptAt: { lte: now() } },
    orderBy: { createdAt: "asc" },
    take: batchSize,
  });
  let done = 0;
  for (const row of due) {
    try {
      const client = trackingMoreClientForKey(decryptSecret(row.apiKeyCipher, appConfig().encryptionKey));
      const refs = JSON.parse(row.trackings) as TrackingRef[];
      // Per-item errors are trackings TrackingMore no longer holds: nothing left to clear there.
      await client.updateMany(
        refs.map((ref) => ({ ...ref, customerName: "", customerEmail: "", customerPhone: "" })),
      );
      await prisma.remoteCustomerErasure.delete({ where: { id: row.id } });
      done++;
    } catch (error) {
      const attempts = row.attempts + 1;
      await prisma.remoteCustomerErasure.update({
        where: { id: row.id },
        data: {
          attempts,
          nextAttemptAt: new Date(now().getTime() + retryDelayMs(attempts)),
          lastError: error instanceof Error ? error.message : String(error),
        },
      });
      log.warn(
        { err: error, erasureId: row.id, attempts },
        "clearing customer data at TrackingMore failed; will retry",
      );
    }
  }
  return done;
}
