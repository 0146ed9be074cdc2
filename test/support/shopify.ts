import prisma from "~/db/client.server";
import { forgetCachedSessions } from "~/lib/session-cache.server";
import { fakeShopify } from "../../devkit/shopify";
import { TEST_APP, TEST_SCOPES } from "./env";

// Shopify as the test app's Shopify: requests signed and tokens minted exactly as Shopify does
// (devkit/shopify), so route tests run the real webhook check (app/lib/webhooks.server.ts) and
// `authenticate.admin` code paths.
export const {
  signWebhookBody,
  webhookRequest,
  mintSessionToken,
  embeddedDocumentRequest,
  embeddedFetchRequest,
} = fakeShopify(TEST_APP);

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
