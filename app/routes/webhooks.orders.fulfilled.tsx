import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveFulfillmentWebhook } from "~/lib/webhooks.server";

// In production the fast lane (app/lib/webhook-fast-lane.server.ts) answers this path before
// Remix does; this route answers it identically anywhere else.
export const action = async ({ request }: ActionFunctionArgs) => receiveFulfillmentWebhook(request);
