import prisma from "~/db/client.server";
import { adminRequest, type AdminGraphql } from "~/graphql/client";
import { FLOW_TRIGGER_RECEIVE } from "~/graphql/flow-trigger-receive";
import type {
  TrackBridgeFlowTriggerReceiveMutation,
  TrackBridgeFlowTriggerReceiveMutationVariables,
} from "~/graphql/generated/admin.types";
import { retryDelayMs } from "~/pipeline/queue/backoff.server";
import { logger } from "~/logger.server";

// The Flow trigger outbox: each queued event is claimed with a lease (several workers never send
// it together), sent with flowTriggerReceive, and marked sent; a transient failure waits with
// back-off, Shopify's refusal is recorded as failed.

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 10;
const log = logger.child({ component: "flow-triggers" });

export type AdminFor = (shop: string) => Promise<AdminGraphql>;

export async function sendDueFlowTriggerEvents(
  adminFor: AdminFor,
  now = new Date(),
  batchSize = 50,
): Promise<number> {
  const due = {
    state: "pending",
    nextAttemptAt: { lte: now },
    OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
  };
  const events = await prisma.flowTriggerEvent.findMany({
    where: due,
    orderBy: { createdAt: "asc" },
    take: batchSize,
  });
  let sent = 0;
  const admins = new Map<string, Promise<AdminGraphql>>();
  for (const event of events) {
    const claimed = await prisma.flowTriggerEvent.updateMany({
      where: { id: event.id, ...due },
      data: { leaseUntil: new Date(now.getTime() + LEASE_MS) },
    });
    if (claimed.count === 0) continue;
    let failure: { permanent: boolean; reason: string } | null = null;
    try {
      if (!admins.has(event.shop)) admins.set(event.shop, adminFor(event.shop));
      const body = await adminRequest<
        TrackBridgeFlowTriggerReceiveMutation,
        TrackBridgeFlowTriggerReceiveMutationVariables
      >(await admins.get(event.shop)!, FLOW_TRIGGER_RECEIVE, {
        handle: event.handle,
        payload: JSON.parse(event.payload) as unknown,
      });
      const userErrors = body.data?.flowTriggerReceive?.userErrors ?? [];
      if (userErrors.length > 0)
        failure = {
          permanent: true,
          reason: `Shopify Flow refused the trigger: ${userErrors.map((e) => e.message).join("; ")}`,
        };
      else if (!body.data?.flowTriggerReceive)
        failure = { permanent: false, reason: "Shopify answered without a result" };
    } catch (error) {
      admins.delete(event.shop);
      failure = { permanent: false, reason: error instanceof Error ? error.message : String(error) };
    }
    const attempts = event.attempts + 1;
    if (!failure) {
      await prisma.flowTriggerEvent.update({
        where: { id: event.id },
        data: { state: "sent", sentAt: now, attempts, lastError: null, leaseUntil: null },
      });
      sent += 1;
    } else if (failure.permanent || attempts >= MAX_ATTEMPTS) {
      log.warn({ shop: event.shop, handle: event.handle, reason: failure.reason }, "flow trigger not sent");
      await prisma.flowTriggerEvent.update({
        where: { id: event.id },
        data: { state: "failed", attempts, lastError: failure.reason.slice(0, 500), leaseUntil: null },
      });
    } else {
      await prisma.flowTriggerEvent.update({
        where: { id: event.id },
        data: {
          attempts,
          lastError: failure.reason.slice(0, 500),
          nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
          leaseUntil: null,
        },
      });
    }
  }
  return sent;
}
