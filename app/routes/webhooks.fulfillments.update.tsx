import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveFulfillmentWebhook } from "~/lib/webhooks.server";

export const action = async ({ request }: ActionFunctionArgs) => receiveFulfillmentWebhook(request);
