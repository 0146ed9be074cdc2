import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { resolveLocale } from "~/i18n";
import { listCustomerOrderTrackings } from "~/models/customer-order-trackings.server";
import { authenticate, unauthenticated } from "~/shopify.server";

// The customer-account order status block (extensions/customer-order-status-block) fetches this
// with its session token from Shopify's customer account origin; `cors` adds the headers its
// browser needs. The token names the shop (dest) and the customer (sub).

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.customerAccount(request);
  const shop = String(sessionToken.dest).replace(/^https:\/\//, "");
  const locale = resolveLocale(new URL(request.url).searchParams.get("locale"));
  const { admin } = await unauthenticated.admin(shop);
  const parcels = await listCustomerOrderTrackings(
    admin,
    shop,
    String(sessionToken.sub ?? ""),
    `gid://shopify/Order/${params.orderId ?? ""}`,
    locale,
  );
  if (!parcels) return cors(json({ error: "Not found" }, { status: 404 }));
  return cors(json({ parcels }));
};

// Only the CORS preflight (OPTIONS) is expected here: the authentication answers it with 204.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { cors } = await authenticate.public.customerAccount(request);
  return cors(json({ error: "Method not allowed" }, { status: 405 }));
};
