import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { resolveLocale } from "~/i18n";
import { listOrderTrackings, numericOrderId } from "~/models/order-trackings.server";
import { authenticate } from "~/shopify.server";

// The admin order page's block (extensions/order-tracking-block) fetches this with a session
// token from the admin's origin: `cors` adds the headers its browser needs, and the answer only
// ever holds the token's shop's trackings.

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const orderId = numericOrderId(params.orderId ?? "");
  if (!orderId) throw cors(json({ error: "Not found" }, { status: 404 }));
  const url = new URL(request.url);
  const locale = resolveLocale(
    url.searchParams.get("locale") ?? request.headers.get("accept-language")?.split(",")[0],
  );
  const trackings = await listOrderTrackings(session.shop, orderId, locale);
  return cors(json({ orderId, trackings }));
};

// Only the CORS preflight (OPTIONS) is expected here: authenticate.admin answers it with 204.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { cors } = await authenticate.admin(request);
  throw cors(json({ error: "Method not allowed" }, { status: 405 }));
};
