import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "~/lib/secrets.server";
import prisma from "~/db/client.server";
import type { AppServer } from "../../scripts/lib/app-server";
import { signedPushBody, wireTracking } from "../../devkit/trackingmore-wire";
import { TEST_API_SECRET, TEST_ENCRYPTION_KEY } from "../support/env";
import { ADA, fulfillmentPayload } from "../../devkit/shopify";
import { mintSessionToken, seedOfflineSession, signWebhookBody } from "../support/shopify";
import { startProductionServer } from "./server";

// At any log level, the log never holds a session token, access token, API key or secret, nor
// a customer's name, email or phone. The production server runs at debug and is sent every kind
// of request that carries one; then its log is searched for each value.
const shop = "log-secrets.myshopify.com";
const ACCESS_TOKEN = "shpat_log_secrets_offline_0123456789";
const TRACKINGMORE_KEY = "tm-log-secrets-api-key-0001";
const ACCOUNT_EMAIL = "owner@log-secrets.example";
const CUSTOMER = { name: "Hedy Lamarr", email: "hedy.lamarr@example.com", phone: "+1 310 555 0147" };
let server: AppServer;

beforeAll(async () => {
  await seedOfflineSession(shop, ACCESS_TOKEN);
  const key = Buffer.from(TEST_ENCRYPTION_KEY, "hex");
  await prisma.shopSettings.create({
    data: {
      shop,
      trackingMoreApiKeyCipher: encryptSecret(TRACKINGMORE_KEY, key),
      trackingMoreApiKeyHint: "••••0001",
      trackingMoreAccountEmailCipher: encryptSecret(ACCOUNT_EMAIL, key),
    },
  });
  await prisma.tracking.create({
    data: {
      shop,
      orderId: "88001",
      orderName: "#8801",
      trackingNumber: "LOGSECRET0001",
      carrierCode: "ups",
      customerName: CUSTOMER.name,
      customerEmail: CUSTOMER.email,
      customerPhone: CUSTOMER.phone,
      syncState: "synced",
      trackingMoreId: "tm-LOGSECRET0001",
    },
  });
  server = await startProductionServer({ LOG_LEVEL: "debug", RUN_WORKER_IN_WEB: "true" });
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe("logs at debug level", () => {
  it("hold no token, key, secret or customer data", async () => {
    const tokens: string[] = [];
    const token = () => {
      const minted = mintSessionToken(shop);
      tokens.push(minted);
      return minted;
    };
    const host = Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString(
      "base64url",
    );
    const document = `${server.url}/app?embedded=1&shop=${shop}&host=${host}&id_token=${token()}`;
    const userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/138.0 Safari/537.36";
    await fetch(document, { headers: { "user-agent": userAgent } }).then((r) => r.text());
    for (const path of [
      "/app/trackings?index",
      "/app/settings",
      "/api/orders/88001/trackings",
      "/app/trackings?q=hedy",
    ]) {
      await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${token()}`, "user-agent": userAgent },
      }).then((r) => r.text());
    }
    // A bad token too: the library logs its failure.
    await fetch(`${server.url}/app/settings`, {
      headers: { authorization: `Bearer ${token()}x`, "user-agent": userAgent },
    }).then((r) => r.text());
    const delivery = JSON.stringify(
      fulfillmentPayload({
        trackingNumbers: ["LOGSECRET0002"],
        customer: {
          ...ADA,
          firstName: CUSTOMER.name.split(" ")[0],
          lastName: CUSTOMER.name.split(" ").slice(1).join(" "),
          email: CUSTOMER.email,
          phone: CUSTOMER.phone,
        },
      }),
    );
    for (const topic of ["fulfillments/create", "customers/data_request", "customers/redact"]) {
      const body = topic.startsWith("customers/")
        ? JSON.stringify({
            shop_domain: shop,
            customer: { id: 1, email: CUSTOMER.email, phone: CUSTOMER.phone },
          })
        : delivery;
      await fetch(`${server.url}/webhooks/${topic}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-shopify-topic": topic,
          "x-shopify-shop-domain": shop,
          "x-shopify-api-version": "2026-10",
          "x-shopify-webhook-id": crypto.randomUUID(),
          "x-shopify-hmac-sha256": signWebhookBody(body),
        },
        body,
      }).then((r) => r.text());
    }
    await fetch(`${server.url}/webhooks/trackingmore`, {
      method: "POST",
      body: signedPushBody(ACCOUNT_EMAIL, {
        ...wireTracking({ trackingNumber: "LOGSECRET0001", status: "transit" }),
        customer_email: CUSTOMER.email,
        customer_name: CUSTOMER.name,
      }),
    }).then((r) => r.text());
    // Let the background jobs (ingest, dispatch, pushes) run a round and log.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await server.stop();

    const log = readFileSync(server.logFile, "utf8");
    expect(log.length).toBeGreaterThan(0);
    expect(log).toMatch(/"level":20/); // debug lines were written
    const secrets = {
      ...Object.fromEntries(tokens.map((t, i) => [`session token ${i}`, t])),
      "session token signature": tokens[0].split(".")[2],
      "access token": ACCESS_TOKEN,
      "TrackingMore API key": TRACKINGMORE_KEY,
      "TrackingMore account email": ACCOUNT_EMAIL,
      "app secret": TEST_API_SECRET,
      "encryption key": TEST_ENCRYPTION_KEY,
      "customer name": CUSTOMER.name,
      "customer email": CUSTOMER.email,
      "customer phone": CUSTOMER.phone,
    };
    const leaked = Object.entries(secrets)
      .filter(([, value]) => log.toLowerCase().includes(value.toLowerCase()))
      .map(([what]) => what);
    expect(leaked).toEqual([]);
  });
});
