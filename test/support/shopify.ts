import { createHmac, randomUUID } from "node:crypto";
import prisma from "~/db/client.server";
import { forgetCachedSessions } from "~/lib/session-cache.server";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_SCOPES } from "./env";

// Requests signed and tokens minted exactly as Shopify does, so route tests run the real
// webhook check (app/lib/webhooks.server.ts) and `authenticate.admin` code paths.

export function signWebhookBody(rawBody: string, secret = TEST_API_SECRET): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}

export interface WebhookRequestOptions {
  topic: string; // "fulfillments/create"
  shop: string;
  body: unknown; // object, or a raw string sent as is
  webhookId?: string;
  eventId?: string;
  secret?: string;
  hmac?: string;
  apiVersion?: string;
}

export function webhookRequest(options: WebhookRequestOptions): Request {
  const raw = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  return new Request(`${TEST_APP_URL}/webhooks/${options.topic}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": options.topic,
      "x-shopify-shop-domain": options.shop,
      "x-shopify-api-version": options.apiVersion ?? "2026-10",
      "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
      "x-shopify-event-id": options.eventId ?? randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
      "x-shopify-hmac-sha256": options.hmac ?? signWebhookBody(raw, options.secret),
    },
    body: raw,
  });
}

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString("base64url");
}

/** An App Bridge session token: an HS256 JWT signed with the app's secret. */
export function mintSessionToken(
  shop: string,
  options: { userId?: string; secret?: string; expiresInSeconds?: number; apiKey?: string } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: options.apiKey ?? TEST_API_KEY,
      sub: options.userId ?? "42",
      exp: now + (options.expiresInSeconds ?? 60),
      nbf: now - 5,
      iat: now - 5,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", options.secret ?? TEST_API_SECRET)
    .update(`${header}.${payload}`)
    .digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** An installed shop: the offline session token exchange would have stored. */
export async function seedOfflineSession(shop: string, accessToken = "shpat_seeded_token") {
  forgetCachedSessions(shop);
  await prisma.session.upsert({
    where: { id: `offline_${shop}` },
    create: {
      id: `offline_${shop}`,
      shop,
      state: "installed",
      isOnline: false,
      scope: TEST_SCOPES,
      accessToken,
    },
    update: { accessToken, scope: TEST_SCOPES },
  });
  await prisma.shop.upsert({
    where: { domain: shop },
    create: { domain: shop },
    update: { uninstalledAt: null },
  });
}

function hostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64url");
}

/** The document request Shopify admin makes when it opens the embedded app. */
export function embeddedDocumentRequest(
  path: string,
  shop: string,
  token: string | null = mintSessionToken(shop),
) {
  const url = new URL(path, TEST_APP_URL);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", hostParam(shop));
  if (token) url.searchParams.set("id_token", token);
  return new Request(url, {
    headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36" },
  });
}

/** A fetch from the embedded app (App Bridge adds the session token as a bearer token). */
export function embeddedFetchRequest(path: string, shop: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${mintSessionToken(shop)}`);
  headers.set("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36");
  return new Request(new URL(path, TEST_APP_URL), { ...init, headers });
}
