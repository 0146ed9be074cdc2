import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveFulfillmentWebhook } from "~/webhooks/webhooks.server";

// In production the fast lane (app/webhooks/fast-lane.server.ts) answers this path before
// Remix does; this route answers it identically anywhere else.
export const action = async ({ request }: ActionFunctionArgs) => receiveFulfillmentWebhook(request);
