import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveTrackingMoreWebhook, responseOf, webhookRequestOf } from "~/webhooks/webhooks.server";

// TrackingMore's status pushes. In production the fast lane (app/webhooks/fast-lane.server.ts)
// answers this path before Remix does; this route answers it identically anywhere else.
export const action = async ({ request }: ActionFunctionArgs) =>
  responseOf(await receiveTrackingMoreWebhook(await webhookRequestOf(request)));
