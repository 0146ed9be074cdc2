import { createHmac, randomUUID } from "node:crypto";

// Shopify admin opening the embedded app, without Shopify: App Bridge session tokens minted as
// Shopify mints them, and the document and fetch requests that carry them.

/** Shopify's library answers 410 to bots; this reads as a desktop browser. */
export const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36";

export interface SessionTokenOptions {
  apiKey: string;
  apiSecret: string;
  userId?: string;
  expiresInSeconds?: number;
}

/** An App Bridge session token: an HS256 JWT signed with the app's secret. */
export function mintSessionToken(shop: string, options: SessionTokenOptions): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const header = encode({ alg: "HS256", typ: "JWT" });
  const payload = encode({
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: options.apiKey,
    sub: options.userId ?? "42",
    exp: now + (options.expiresInSeconds ?? 60),
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: randomUUID(),
  });
  const signature = createHmac("sha256", options.apiSecret)
    .update(`${header}.${payload}`)
    .digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The `host` parameter Shopify admin adds: base64url of the shop's admin address. */
export function adminHost(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64url");
}

/** The URL Shopify admin's iframe opens: `embedded`, `shop`, `host` and the session token. */
export function embeddedAppUrl(appUrl: string, path: string, shop: string, idToken: string | null): URL {
  const url = new URL(path, appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", adminHost(shop));
  if (idToken) url.searchParams.set("id_token", idToken);
  return url;
}
