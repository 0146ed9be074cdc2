import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyWebhook } from "~/lib/webhooks.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { log } = await verifyWebhook(request);
  log.info("webhook received");
  return new Response();
};
