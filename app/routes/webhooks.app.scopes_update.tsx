import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyWebhook } from "~/webhooks/webhooks.server";
import { recordScopesGranted } from "~/models/shop.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload, log } = await verifyWebhook(request);
  const current = (payload as { current?: unknown }).current;
  if (!Array.isArray(current))
    return new Response("payload.current must be a list of scopes", { status: 400 });
  await recordScopesGranted(shop, current.map(String));
  log.info({ scopes: current }, "scopes updated");
  return new Response();
};
