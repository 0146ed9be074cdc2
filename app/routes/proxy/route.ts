import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { resolveLocale, type Locale } from "~/i18n";
import { readBoundedFormData } from "~/lib/body-limit.server";
import { visitorAddress } from "~/lib/client-address.server";
import { findParcelsForCustomer, tryStorefrontLookup } from "~/models/storefront-tracking.server";
import { DEFAULT_PROXY_PATH } from "~/pipeline/tracking-url/proxy-path.server";
import { recordProxyPath } from "~/pipeline/tracking-url/tracking-url.server";
import { authenticate } from "~/shopify.server";
import { renderTrackingPage, type TrackingPageState } from "./components/tracking-page.server";

// The storefront tracking page, https://{shop}/apps/trackbridge: Shopify's app proxy forwards
// it here with a signed query (shop, path_prefix, timestamp, signature). GET shows the form; the
// form posts back through the proxy, and the lookup answers inside the shop's theme.

function pageContext(request: Request) {
  const url = new URL(request.url);
  // Signed by Shopify, so it names the shop the request really came from.
  const shop = url.searchParams.get("shop") ?? "";
  const locale: Locale = resolveLocale(
    url.searchParams.get("locale") ?? request.headers.get("accept-language")?.split(",")[0],
  );
  // The merchant may have renamed the proxy's prefix or subpath; Shopify tells us the public one.
  const prefix = url.searchParams.get("path_prefix") ?? "";
  const validPrefix = /^\/[A-Za-z0-9/_-]{1,100}$/.test(prefix);
  const formAction = validPrefix ? prefix : DEFAULT_PROXY_PATH;
  return { shop, locale, formAction, validPrefix };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { liquid } = await authenticate.public.appProxy(request);
  const { shop, locale, formAction, validPrefix } = pageContext(request);
  // The links the app gives out (Shopify's notifications) follow a renamed page.
  if (validPrefix) await recordProxyPath(shop, formAction);
  // A link from a shipping e-mail carries the order number; the customer adds the e-mail.
  const orderNumber = new URL(request.url).searchParams.get("order")?.trim().slice(0, 64) ?? undefined;
  return liquid(renderTrackingPage({ locale, formAction, orderNumber, state: { kind: "form" } }));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { liquid } = await authenticate.public.appProxy(request);
  const { shop, locale, formAction } = pageContext(request);
  const form = await readBoundedFormData(request);
  const orderNumber = String(form.get("order") ?? "")
    .trim()
    .slice(0, 64);
  const email = String(form.get("email") ?? "")
    .trim()
    .slice(0, 254);
  // Always 200: the theme renders the Liquid of a successful answer, and the page says what
  // went wrong in the customer's words.
  const page = (state: TrackingPageState) =>
    liquid(renderTrackingPage({ locale, formAction, orderNumber, email, state }));

  if (!orderNumber || !email) return page({ kind: "missing_input" });
  if (!tryStorefrontLookup(shop, visitorAddress(request))) {
    return page({ kind: "rate_limited" });
  }
  const parcels = await findParcelsForCustomer(shop, { orderNumber, email });
  if (!parcels.length) return page({ kind: "not_found" });
  return page({ kind: "found", orderNumber, parcels });
};
