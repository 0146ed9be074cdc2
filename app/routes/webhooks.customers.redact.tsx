import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyWebhook } from "~/webhooks/webhooks.server";
import { redactCustomer } from "~/models/privacy.server";

interface CustomersRedactPayload {
  customer?: { id?: number; email?: string | null; phone?: string | null };
  orders_to_redact?: number[];
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload, log } = await verifyWebhook(request);
  const body = payload as CustomersRedactPayload;
  const { trackings } = await redactCustomer(shop, {
    customer: body.customer,
    orders: body.orders_to_redact,
  });
  log.info({ trackings }, "customers/redact handled");
  return new Response();
};
