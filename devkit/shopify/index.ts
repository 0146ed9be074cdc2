import { BROWSER_USER_AGENT, embeddedAppUrl, mintSessionToken, type SessionTokenOptions } from "./admin";
import { deliveryRequest, signDelivery, signWebhookBody, type DeliveryInput } from "./webhooks";

export * from "./admin";
export * from "./app-bridge";
export * from "./app-proxy";
export * from "./payloads";
export * from "./webhooks";

/** The app as Shopify knows it: what the fakes sign with and address. */
export interface ShopifyApp {
  apiKey: string;
  apiSecret: string;
  appUrl: string;
}

/**
 * Shopify's side of the conversation for one app: each function signs with the app's secret
 * unless told otherwise (a wrong secret is how tests forge a request).
 */
export function fakeShopify(app: ShopifyApp) {
  const token = (shop: string, options: Partial<SessionTokenOptions> = {}) =>
    mintSessionToken(shop, { apiKey: app.apiKey, apiSecret: app.apiSecret, ...options });
  return {
    signWebhookBody: (rawBody: string, apiSecret = app.apiSecret) => signWebhookBody(rawBody, apiSecret),
    signDelivery: (input: DeliveryInput, apiSecret = app.apiSecret) => signDelivery(input, apiSecret),
    /** A signed delivery as a Request to the app; `hmac` replaces the signature. */
    webhookRequest(input: DeliveryInput & { apiSecret?: string; hmac?: string }): Request {
      const delivery = signDelivery(input, input.apiSecret ?? app.apiSecret);
      return deliveryRequest(app.appUrl, input.hmac ? { ...delivery, hmac: input.hmac } : delivery);
    },
    mintSessionToken: token,
    /** The address Shopify admin's iframe opens; a null token leaves `id_token` out. */
    embeddedAppUrl: (path: string, shop: string, idToken: string | null = token(shop)) =>
      embeddedAppUrl(app.appUrl, path, shop, idToken),
    /** The document request Shopify admin makes when it opens the embedded app. */
    embeddedDocumentRequest: (path: string, shop: string, idToken: string | null = token(shop)) =>
      new Request(embeddedAppUrl(app.appUrl, path, shop, idToken), {
        headers: { "user-agent": BROWSER_USER_AGENT },
      }),
    /** A fetch from the embedded app (App Bridge adds the session token as a bearer token). */
    embeddedFetchRequest(path: string, shop: string, init: RequestInit = {}): Request {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token(shop)}`);
      headers.set("user-agent", BROWSER_USER_AGENT);
      return new Request(new URL(path, app.appUrl), { ...init, headers });
    },
  };
}
