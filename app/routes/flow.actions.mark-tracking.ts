import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { ValidationError } from "~/lib/errors.server";
import { markTrackingFromFlow, type FlowActionProperties } from "~/models/flow/mark-tracking.server";
import { authenticate } from "~/shopify.server";

// The Flow action (extensions/flow-mark-tracking), signed by Shopify with the app's secret.
// Flow retries anything but 200 and 4xx: a bad input is a 4xx so it is not retried.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, payload } = await authenticate.flow(request);
  const properties = ((payload as { properties?: FlowActionProperties }).properties ??
    {}) as FlowActionProperties;
  try {
    const { updated } = await markTrackingFromFlow(session.shop, properties);
    return json({ updated });
  } catch (error) {
    if (error instanceof ValidationError) return json({ errors: error.fieldErrors }, { status: 422 });
    throw error;
  }
};
