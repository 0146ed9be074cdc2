import prisma from "~/db/client.server";
import { ValidationError } from "~/lib/errors.server";
import { FLOW_TRIGGER_HANDLES, type FlowTriggerHandle } from "./triggers";

// Shopify Flow's trigger lifecycle callback: whether the shop has an enabled workflow using one
// of our triggers. Newer callbacks win; an older one arriving late changes nothing.

export interface LifecycleCallback {
  flow_trigger_definition_id?: unknown;
  has_enabled_flow?: unknown;
  shopify_domain?: unknown;
  timestamp?: unknown;
}

export async function applyFlowLifecycle(
  shop: string,
  body: LifecycleCallback,
): Promise<{ applied: boolean }> {
  const handle = String(body.flow_trigger_definition_id ?? "") as FlowTriggerHandle;
  const reportedAt = new Date(String(body.timestamp ?? ""));
  const fieldErrors: Record<string, string> = {};
  if (!FLOW_TRIGGER_HANDLES.includes(handle)) fieldErrors.flow_trigger_definition_id = "unknown_trigger";
  if (typeof body.has_enabled_flow !== "boolean") fieldErrors.has_enabled_flow = "invalid";
  if (Number.isNaN(reportedAt.getTime())) fieldErrors.timestamp = "invalid_date";
  if (Object.keys(fieldErrors).length > 0) throw new ValidationError(fieldErrors);
  const enabled = body.has_enabled_flow as boolean;
  const current = await prisma.flowTriggerSubscription.findUnique({
    where: { shop_handle: { shop, handle } },
  });
  if (current && current.reportedAt >= reportedAt) return { applied: false };
  // Turned on again: parcels whose status changed while it was off are not replayed.
  const since = enabled && !current?.enabled ? new Date() : (current?.since ?? new Date());
  await prisma.flowTriggerSubscription.upsert({
    where: { shop_handle: { shop, handle } },
    create: { shop, handle, enabled, since, reportedAt },
    update: { enabled, since, reportedAt },
  });
  return { applied: true };
}
