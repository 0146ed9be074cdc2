import prisma from "~/db/client.server";
import { APP_DATA_METAFIELDS_SET, CURRENT_APP_INSTALLATION } from "~/graphql/app-data-metafields";
import { adminRequest, type AdminGraphql } from "~/graphql/client";
import type {
  TrackBridgeAppDataMetafieldsSetMutation,
  TrackBridgeAppDataMetafieldsSetMutationVariables,
  TrackBridgeCurrentAppInstallationQuery,
} from "~/graphql/generated/admin.types";
import { retryDelayMs } from "~/pipeline/queue/backoff.server";
import { logger } from "~/logger.server";
import type { AdminFor } from "./tracking-url.server";

// The theme block (extensions/tracking-page) links to the tracking page at the shop's own
// proxy path, which merchants can rename: the app keeps it in an app-data metafield that the
// block reads as `app.metafields.trackbridge.proxy_path`. Published when Shopify's app proxy
// reports a path other than the one published (ShopSettings.proxyPathPrefix).

/** `[app_proxy]` of shopify.app.toml, and the theme block's fallback. */
export const DEFAULT_PROXY_PATH = "/apps/trackbridge";
export const PROXY_PATH_METAFIELD = { namespace: "trackbridge", key: "proxy_path" } as const;
const log = logger.child({ component: "proxy-path" });

async function publish(admin: AdminGraphql, path: string): Promise<string | null> {
  const installation = await adminRequest<TrackBridgeCurrentAppInstallationQuery>(
    admin,
    CURRENT_APP_INSTALLATION,
  );
  const ownerId = installation.data?.currentAppInstallation.id;
  if (!ownerId) return "Shopify did not return the app installation";
  const body = await adminRequest<
    TrackBridgeAppDataMetafieldsSetMutation,
    TrackBridgeAppDataMetafieldsSetMutationVariables
  >(admin, APP_DATA_METAFIELDS_SET, {
    metafields: [{ ownerId, ...PROXY_PATH_METAFIELD, type: "single_line_text_field", value: path }],
  });
  const errors = body.data?.metafieldsSet?.userErrors ?? [];
  if (errors.length > 0) return errors.map((e) => e.message).join("; ");
  return body.data?.metafieldsSet?.metafields?.length ? null : "Shopify answered without the metafield";
}

/** Publishes the proxy path of shops whose metafield is missing or out of date. */
export async function publishProxyPaths(
  adminFor: AdminFor,
  now = new Date(),
  batchSize = 20,
): Promise<number> {
  const due = await prisma.shopSettings.findMany({
    where: {
      // Until a merchant renames the page, the block's own default is right: nothing to write.
      OR: [
        { proxyPathPublished: null, proxyPathPrefix: { not: DEFAULT_PROXY_PATH } },
        {
          proxyPathPublished: { not: null },
          NOT: { proxyPathPublished: { equals: prisma.shopSettings.fields.proxyPathPrefix } },
        },
      ],
      AND: [{ OR: [{ proxyPathNextAt: null }, { proxyPathNextAt: { lte: now } }] }],
    },
    select: { shop: true, proxyPathPrefix: true, proxyPathNextAt: true },
    take: batchSize,
  });
  let published = 0;
  for (const settings of due) {
    let failure: string | null;
    try {
      failure = await publish(await adminFor(settings.shop), settings.proxyPathPrefix);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (failure === null) {
      // Only if the path did not change meanwhile: a newer one is published next round.
      await prisma.shopSettings.updateMany({
        where: { shop: settings.shop, proxyPathPrefix: settings.proxyPathPrefix },
        data: { proxyPathPublished: settings.proxyPathPrefix, proxyPathNextAt: null },
      });
      published += 1;
    } else {
      log.warn({ shop: settings.shop, reason: failure }, "proxy path not published");
      const waited = settings.proxyPathNextAt ? now.getTime() - settings.proxyPathNextAt.getTime() : 0;
      await prisma.shopSettings.update({
        where: { shop: settings.shop },
        // The wait doubles from 30 s up to an hour; the shop is never given up on.
        data: {
          proxyPathNextAt: new Date(
            now.getTime() + Math.max(retryDelayMs(1), Math.min(2 * waited, retryDelayMs(8))),
          ),
        },
      });
    }
  }
  return published;
}
