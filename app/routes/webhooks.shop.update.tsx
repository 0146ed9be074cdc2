import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyWebhook } from "~/webhooks/webhooks.server";
import { recordShopCountry } from "~/models/shop.server";

// shop/update keeps the shop's country current: it decides what a carrier name means.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload, log } = await verifyWebhook(request);
  const country = await recordShopCountry(shop, (payload as { country_code?: unknown }).country_code);
  log.info({ country }, "shop updated");
  return new Response();
};
