import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyWebhook } from "~/webhooks/webhooks.server";
import { recordCustomerDataRequest } from "~/models/privacy.server";

interface CustomersDataRequestPayload {
  customer?: { id?: number; email?: string | null; phone?: string | null };
  orders_requested?: number[];
  data_request?: { id?: number };
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload, log } = await verifyWebhook(request);
  const body = payload as CustomersDataRequestPayload;
  await recordCustomerDataRequest(shop, {
    customer: body.customer,
    orders: body.orders_requested,
    dataRequestId: body.data_request?.id,
  });
  log.info("customers/data_request report stored");
  return new Response();
};
