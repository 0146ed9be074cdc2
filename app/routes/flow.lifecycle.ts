import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { ValidationError } from "~/lib/errors.server";
import { applyFlowLifecycle, type LifecycleCallback } from "~/models/flow/lifecycle.server";
import { authenticate } from "~/shopify.server";

// Shopify Flow's trigger lifecycle callback (extensions/flow-trigger-lifecycle), signed with the
// app's secret: which shops use our triggers. Flow lets the merchant enable the workflow only
// after a 2xx here.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, payload } = await authenticate.flow(request);
  try {
    await applyFlowLifecycle(session.shop, payload as LifecycleCallback);
  } catch (error) {
    if (error instanceof ValidationError) return json({ errors: error.fieldErrors }, { status: 422 });
    throw error;
  }
  return json({ ok: true });
};
