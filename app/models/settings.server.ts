import { trackingMoreClientForKey } from "~/trackingmore.server";
import type { TrackingMoreClient } from "~/trackingmore";
import { appConfig } from "~/config.server";
import prisma, { type Prisma } from "~/db/client.server";
import { decryptSecret, encryptSecret, secretHint, SecretUnreadableError } from "~/lib/secrets.server";
import { logger } from "~/logger.server";

export type OrderIdFormat = "name" | "id";
export type CancelledFulfillmentAction = "archive" | "delete" | "keep";

/** What the admin may see of a shop's settings: no secret, only whether and which one is set. */
export interface ShopSettingsView {
  shop: string;
  hasApiKey: boolean;
  apiKeyHint: string | null;
  hasAccountEmail: boolean;
  /** Secrets stored but unreadable with this TRACKBRIDGE_ENCRYPTION_KEY: to be entered again. */
  unreadableSecrets: ("apiKey" | "accountEmail")[];
  createOnFulfillment: boolean;
  orderIdFormat: OrderIdFormat;
  titleTemplate: string;
  cancelledFulfillmentAction: CancelledFulfillmentAction;
  writeBackEnabled: boolean;
  /** Days a tracking may stay "not found" before its carrier is re-detected. */
  carrierRecheckDays: number;
  /** Days without a carrier event after which a parcel counts as stalled. */
  stalledAfterDays: number;
  /** The tracking page as the link of parcels Shopify cannot link itself (app/models/tracking-url). */
  trackingUrlInNotifications: boolean;
}

export type ShopSettingsChanges = Partial<
  Pick<
    ShopSettingsView,
    | "createOnFulfillment"
    | "orderIdFormat"
    | "titleTemplate"
    | "cancelledFulfillmentAction"
    | "writeBackEnabled"
    | "carrierRecheckDays"
    | "stalledAfterDays"
    | "trackingUrlInNotifications"
  >
>;

export const DEFAULT_STALLED_AFTER_DAYS = 7;
export const DEFAULT_TITLE_TEMPLATE = "{{first_item}}{{more_items}}";

export async function getShopSettings(shop: string): Promise<ShopSettingsView> {
  const row = await prisma.shopSettings.findUnique({ where: { shop } });
  return {
    shop,
    hasApiKey: Boolean(row?.trackingMoreApiKeyCipher),
    apiKeyHint: row?.trackingMoreApiKeyHint ?? null,
    hasAccountEmail: Boolean(row?.trackingMoreAccountEmailCipher),
    unreadableSecrets: [
      ...(row?.trackingMoreApiKeyCipher &&
      readableSecret(shop, "apiKey", row.trackingMoreApiKeyCipher) === null
        ? (["apiKey"] as const)
        : []),
      ...(row?.trackingMoreAccountEmailCipher &&
      readableSecret(shop, "accountEmail", row.trackingMoreAccountEmailCipher) === null
        ? (["accountEmail"] as const)
        : []),
    ],
    createOnFulfillment: row?.createOnFulfillment ?? true,
    orderIdFormat: (row?.orderIdFormat as OrderIdFormat | undefined) ?? "name",
    titleTemplate: row?.titleTemplate ?? DEFAULT_TITLE_TEMPLATE,
    cancelledFulfillmentAction:
      (row?.cancelledFulfillmentAction as CancelledFulfillmentAction | undefined) ?? "archive",
    writeBackEnabled: row?.writeBackEnabled ?? true,
    carrierRecheckDays: row?.carrierRecheckDays ?? 3,
    stalledAfterDays: row?.stalledAfterDays ?? DEFAULT_STALLED_AFTER_DAYS,
    trackingUrlInNotifications: row?.trackingUrlInNotifications ?? false,
  };
}

/** Writes for a caller's batch transaction (`prisma.$transaction([...])`): not run until then. */
export type SettingsWrite = Prisma.PrismaPromise<unknown>;

export async function updateShopSettings(
  shop: string,
  changes: ShopSettingsChanges,
): Promise<ShopSettingsView> {
  await prisma.$transaction(await shopSettingsWrites(shop, changes));
  return getShopSettings(shop);
}

/** The writes of updateShopSettings (it reads the current notification setting first). */
export async function shopSettingsWrites(
  shop: string,
  changes: ShopSettingsChanges,
): Promise<SettingsWrite[]> {
  const data: Parameters<typeof prisma.shopSettings.update>[0]["data"] = { ...changes };
  if (changes.trackingUrlInNotifications !== undefined) {
    const current = await prisma.shopSettings.findUnique({
      where: { shop },
      select: { trackingUrlInNotifications: true },
    });
    // Turned on, it applies to fulfillments created from now on, never to the shop's history.
    if ((current?.trackingUrlInNotifications ?? false) !== changes.trackingUrlInNotifications)
      data.trackingUrlSince = changes.trackingUrlInNotifications ? new Date() : null;
  }
  return [
    prisma.shopSettings.upsert({
      where: { shop },
      create: { shop, ...changes, trackingUrlSince: data.trackingUrlSince as Date | null | undefined },
      update: data,
    }),
  ];
}

/**
 * Stores the shop's TrackingMore API key encrypted. Trackings that were waiting for a key
 * become pending again, so the dispatcher sends them.
 */
export async function saveTrackingMoreApiKey(shop: string, apiKey: string): Promise<void> {
  await prisma.$transaction(trackingMoreApiKeyWrites(shop, apiKey));
}

/** The writes of saveTrackingMoreApiKey. */
export function trackingMoreApiKeyWrites(shop: string, apiKey: string): SettingsWrite[] {
  const key = apiKey.trim();
  const cipher = encryptSecret(key, appConfig().encryptionKey);
  return [
    prisma.shopSettings.upsert({
      where: { shop },
      create: { shop, trackingMoreApiKeyCipher: cipher, trackingMoreApiKeyHint: secretHint(key) },
      update: { trackingMoreApiKeyCipher: cipher, trackingMoreApiKeyHint: secretHint(key) },
    }),
    prisma.tracking.updateMany({
      where: { shop, syncState: "waiting_api_key" },
      data: { syncState: "pending", nextAttemptAt: new Date(), lastError: null },
    }),
    // A new key may belong to an account with quota: let the dispatcher try again now.
    prisma.shop.updateMany({
      where: { domain: shop },
      data: { dispatchPausedReason: null, dispatchPausedUntil: null },
    }),
  ];
}

/** Server-side only: the decrypted key, or null when the shop has none. */
const unreadableLogged = new Set<string>();

/**
 * A stored secret, or null when this process's TRACKBRIDGE_ENCRYPTION_KEY cannot read it: the
 * shop then behaves as if none were set (nothing is sent with it, nothing fails with a 500) and
 * the settings page asks for it again. One log line per shop and secret says why.
 */
export function readableSecret(
  shop: string,
  which: "apiKey" | "accountEmail",
  cipher: string,
): string | null {
  try {
    return decryptSecret(cipher, appConfig().encryptionKey);
  } catch (error) {
    if (!(error instanceof SecretUnreadableError)) throw error;
    if (!unreadableLogged.has(`${shop}/${which}`)) {
      unreadableLogged.add(`${shop}/${which}`);
      logger.error(
        { shop, secret: which },
        "a stored TrackingMore secret cannot be decrypted: TRACKBRIDGE_ENCRYPTION_KEY changed? The merchant must enter it again",
      );
    }
    return null;
  }
}

export async function readTrackingMoreApiKey(shop: string): Promise<string | null> {
  const row = await prisma.shopSettings.findUnique({
    where: { shop },
    select: { trackingMoreApiKeyCipher: true },
  });
  return row?.trackingMoreApiKeyCipher ? readableSecret(shop, "apiKey", row.trackingMoreApiKeyCipher) : null;
}

/** The TrackingMore account email keys the HMAC of TrackingMore's webhooks (verifyInfo). */
export async function saveTrackingMoreAccountEmail(shop: string, email: string): Promise<void> {
  await prisma.$transaction(trackingMoreAccountEmailWrites(shop, email));
}

/** The writes of saveTrackingMoreAccountEmail. */
export function trackingMoreAccountEmailWrites(shop: string, email: string): SettingsWrite[] {
  const cipher = encryptSecret(email.trim(), appConfig().encryptionKey);
  return [
    prisma.shopSettings.upsert({
      where: { shop },
      create: { shop, trackingMoreAccountEmailCipher: cipher },
      update: { trackingMoreAccountEmailCipher: cipher },
    }),
  ];
}

export async function readTrackingMoreAccountEmail(shop: string): Promise<string | null> {
  const row = await prisma.shopSettings.findUnique({
    where: { shop },
    select: { trackingMoreAccountEmailCipher: true },
  });
  return row?.trackingMoreAccountEmailCipher
    ? readableSecret(shop, "accountEmail", row.trackingMoreAccountEmailCipher)
    : null;
}

/** The shop's TrackingMore client, or null when the merchant has not configured an API key yet. */
export async function trackingMoreClientForShop(shop: string): Promise<TrackingMoreClient | null> {
  const apiKey = await readTrackingMoreApiKey(shop);
  return apiKey ? trackingMoreClientForKey(apiKey) : null;
}
