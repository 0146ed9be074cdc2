import { adminRequest } from "~/graphql/client";
import type { TrackBridgeShopTimeZoneQuery } from "~/graphql/generated/admin.types";
import { SHOP_TIME_ZONE } from "~/graphql/shop";
import "@shopify/shopify-app-remix/adapters/node";
import {
  ApiVersion,
  AppDistribution,
  LogSeverity,
  shopifyApp,
  type AdminApiContext,
} from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { appConfig } from "./config.server";
import prisma from "./db/client.server";
import { CachedSessionStorage } from "./lib/session-cache.server";
import { logger } from "./logger.server";
import { recordShopInstalled, syncShopCountry } from "./models/shop.server";

const config = appConfig();

/** The shop's time zone, or null when Shopify did not answer it (the admin then shows UTC). */
async function readShopTimeZone(admin: AdminApiContext): Promise<string | null> {
  try {
    const body = await adminRequest<TrackBridgeShopTimeZoneQuery>(admin, SHOP_TIME_ZONE);
    return body.data?.shop?.ianaTimezone ?? null;
  } catch (error) {
    logger.warn({ err: error }, "could not read the shop's time zone");
    return null;
  }
}

export const ADMIN_API_VERSION = ApiVersion.October26;

const shopify = shopifyApp({
  apiKey: config.shopifyApiKey,
  apiSecretKey: config.shopifyApiSecret,
  apiVersion: ADMIN_API_VERSION,
  scopes: config.scopes,
  appUrl: config.appUrl,
  authPathPrefix: "/auth",
  sessionStorage: new CachedSessionStorage(
    new PrismaSessionStorage(prisma, { connectionRetries: 3, connectionRetryIntervalMs: 1000 }),
  ),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
  },
  // Shopify's library logs through our one logger, so its lines carry the same format and level.
  logger: {
    level: LogSeverity.Debug,
    log: (severity, message) => {
      const shopifyLog = logger.child({ source: "shopify" });
      if (severity === LogSeverity.Error) shopifyLog.error(message);
      else if (severity === LogSeverity.Warning) shopifyLog.warn(message);
      else if (severity === LogSeverity.Info) shopifyLog.info(message);
      else shopifyLog.debug(message);
    },
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await recordShopInstalled(session.shop, await readShopTimeZone(admin));
      // Without the country a German shop's "DHL" maps as DHL Express: worth a retry at the next
      // install, never worth failing this one.
      await syncShopCountry(session.shop, admin).catch((error: unknown) =>
        logger.warn({ err: error, shop: session.shop }, "could not read the shop's country"),
      );
    },
  },
  ...(process.env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [process.env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = ADMIN_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
