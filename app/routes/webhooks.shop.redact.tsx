import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyWebhook } from "~/webhooks/webhooks.server";
import { redactShop } from "~/models/privacy.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, log } = await verifyWebhook(request);
  await redactShop(shop);
  log.info("shop/redact handled: the shop's data is deleted");
  return new Response();
};
