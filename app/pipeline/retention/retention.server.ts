import { appConfig } from "~/config.server";
import prisma from "~/db/client.server";
import { logger } from "~/logger.server";

// Rows kept only for a while: inbox deliveries once processed (the record that makes a repeated
// delivery a duplicate), pushes still unapplied long after they came (the poller has long since
// brought those trackings up to date), and replay-guard entries whose freshness window closed.
// The retention is one setting for every shop (TRACKBRIDGE_RETENTION_DAYS, default 30).

const DAY_MS = 86_400_000;
const log = logger.child({ component: "retention" });

export interface PruneResult {
  deliveries: number;
  pushes: number;
  pushSightings: number;
}

/** Deletes what is past retention; returns how many rows of each kind went. */
export async function pruneRetainedRows({
  now = new Date(),
  retentionDays = appConfig().retentionDays,
}: { now?: Date; retentionDays?: number } = {}): Promise<PruneResult> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const [deliveries, pushes, pushSightings] = await Promise.all([
    prisma.webhookDelivery.deleteMany({ where: { processedAt: { not: null, lt: cutoff } } }),
    prisma.trackingMorePush.deleteMany({ where: { receivedAt: { lt: cutoff } } }),
    prisma.trackingMorePushSeen.deleteMany({ where: { expiresAt: { lt: now } } }),
  ]);
  const result = { deliveries: deliveries.count, pushes: pushes.count, pushSightings: pushSightings.count };
  if (result.deliveries + result.pushes + result.pushSightings > 0)
    log.info(result, "rows past retention pruned");
  return result;
}
