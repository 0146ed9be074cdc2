import prisma from "~/db/client.server";
import {
  FLOW_TRIGGERS,
  STALLED_AFTER_MS,
  flowTriggerPayload,
  type FlowTriggerHandle,
} from "../../models/flow/triggers";

// Turns status changes into Flow trigger events, without touching the status pipeline: a
// parcel whose status differs from the one its triggers were last queued for (flowStatusSeen)
// gets one event per enabled trigger, in the same transaction that records the status as seen,
// so a restart never queues it twice and the outbox (FlowTriggerEvent) sends each once.

const BATCH = 200;

/** The triggers a status change fires. */
function handlesFor(status: string): FlowTriggerHandle[] {
  const handles: FlowTriggerHandle[] = [FLOW_TRIGGERS.statusChanged];
  if (status === "exception") handles.push(FLOW_TRIGGERS.exception);
  if (status === "delivered") handles.push(FLOW_TRIGGERS.delivered);
  return handles;
}

/** Queues the events of changed and stalled parcels of shops using the triggers. Returns how many. */
export async function queueFlowTriggerEvents(now = new Date()): Promise<number> {
  const subscriptions = await prisma.flowTriggerSubscription.findMany({ where: { enabled: true } });
  const byShop = new Map<string, Map<string, Date>>();
  for (const s of subscriptions) {
    if (!byShop.has(s.shop)) byShop.set(s.shop, new Map());
    byShop.get(s.shop)!.set(s.handle, s.since);
  }
  let queued = 0;
  for (const [shop, enabled] of byShop) {
    const earliest = new Date(Math.min(...[...enabled.values()].map((d) => d.getTime())));
    const changed = await prisma.tracking.findMany({
      where: {
        shop,
        archived: false,
        statusUpdatedAt: { gte: earliest },
        OR: [
          { flowStatusSeen: null },
          { NOT: { flowStatusSeen: { equals: prisma.tracking.fields.status } } },
        ],
      },
      take: BATCH,
    });
    for (const tracking of changed) {
      const events = handlesFor(tracking.status)
        .filter((handle) => {
          const since = enabled.get(handle);
          return since && tracking.statusUpdatedAt && tracking.statusUpdatedAt >= since;
        })
        .map((handle) => ({
          shop,
          handle,
          eventKey: `${tracking.id}:${tracking.status}:${tracking.statusUpdatedAt!.toISOString()}`,
          payload: JSON.stringify(flowTriggerPayload(tracking)),
        }));
      queued += await recordEvents(tracking.id, tracking.status, events, { flowStatusSeen: tracking.status });
    }
    const stalledSince = enabled.get(FLOW_TRIGGERS.stalled);
    if (stalledSince) {
      const cutoff = new Date(now.getTime() - STALLED_AFTER_MS);
      const stalled = await prisma.tracking.findMany({
        where: {
          shop,
          archived: false,
          status: { in: ["transit", "pickup"] },
          // Only silences that began while the trigger was on.
          lastEventAt: { lt: cutoff, gte: new Date(stalledSince.getTime() - STALLED_AFTER_MS) },
          OR: [
            { flowStalledFor: null },
            { NOT: { flowStalledFor: { equals: prisma.tracking.fields.lastEventAt } } },
          ],
        },
        take: BATCH,
      });
      for (const tracking of stalled) {
        const events = [
          {
            shop,
            handle: FLOW_TRIGGERS.stalled,
            eventKey: `${tracking.id}:stalled:${tracking.lastEventAt!.toISOString()}`,
            payload: JSON.stringify(flowTriggerPayload(tracking)),
          },
        ];
        queued += await recordEvents(tracking.id, tracking.status, events, {
          flowStalledFor: tracking.lastEventAt,
        });
      }
    }
  }
  return queued;
}

async function recordEvents(
  trackingId: string,
  status: string,
  events: { shop: string; handle: string; eventKey: string; payload: string }[],
  seen: { flowStatusSeen?: string; flowStalledFor?: Date | null },
): Promise<number> {
  return prisma.$transaction(async (tx) => {
    // Another worker recorded it first (or the status moved on): nothing to do.
    const marked = await tx.tracking.updateMany({ where: { id: trackingId, status }, data: seen });
    if (marked.count === 0) return 0;
    let created = 0;
    for (const event of events) {
      const exists = await tx.flowTriggerEvent.findUnique({
        where: { shop_handle_eventKey: { shop: event.shop, handle: event.handle, eventKey: event.eventKey } },
        select: { id: true },
      });
      if (exists) continue;
      await tx.flowTriggerEvent.create({ data: event });
      created += 1;
    }
    return created;
  });
}
