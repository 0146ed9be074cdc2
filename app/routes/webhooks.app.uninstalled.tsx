import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyWebhook } from "~/webhooks/webhooks.server";
import { recordShopUninstalled } from "~/models/shop.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, log } = await verifyWebhook(request);
  await recordShopUninstalled(shop);
  log.info("app uninstalled: sessions removed, dispatch stopped");
  return new Response();
};
