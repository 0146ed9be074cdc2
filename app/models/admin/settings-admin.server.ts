import prisma from "~/db/client.server";
import { ValidationError } from "~/lib/errors.server";
import {
  saveTrackingMoreAccountEmail,
  saveTrackingMoreApiKey,
  updateShopSettings,
  type CancelledFulfillmentAction,
  type OrderIdFormat,
} from "~/models/settings.server";
import { loadCarrierCatalog, normaliseCompanyName } from "~/models/carriers/carriers.server";
import { trackingMoreClientForKey } from "~/trackingmore.server";
import { TrackingMoreError } from "~/trackingmore";

// What the Settings page changes. The API key is checked against TrackingMore (user info)
// before it is stored; an unreachable TrackingMore is a different answer from a wrong key.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CARRIER_CODE = /^[a-z0-9][a-z0-9-]{1,59}$/;

/** Validates the key with TrackingMore's user info, then stores it encrypted. */
export async function connectTrackingMore(shop: string, apiKey: string): Promise<{ remainingQuota: number }> {
  const key = apiKey.trim();
  if (key.length < 8 || /\s/.test(key)) throw new ValidationError({ apiKey: "invalid_api_key" });
  const client = trackingMoreClientForKey(key);
  // Paused after a 429 (by any worker): say so now rather than hold the page for minutes.
  if (await client.rateLimitedUntil()) throw new ValidationError({ apiKey: "trackingmore_unreachable" });
  let remainingQuota: number;
  try {
    remainingQuota = (await client.getUserInfo()).remainingQuota;
  } catch (error) {
    if (error instanceof TrackingMoreError && error.retryable) {
      throw new ValidationError({ apiKey: "trackingmore_unreachable" });
    }
    throw new ValidationError({ apiKey: "rejected_api_key" });
  }
  await saveTrackingMoreApiKey(shop, key);
  return { remainingQuota };
}

export async function saveAccountEmail(shop: string, email: string): Promise<void> {
  const value = email.trim();
  if (!EMAIL.test(value)) throw new ValidationError({ accountEmail: "invalid_email" });
  await saveTrackingMoreAccountEmail(shop, value);
}

export interface BehaviourInput {
  createOnFulfillment: boolean;
  orderIdFormat: string;
  titleTemplate: string;
  cancelledFulfillmentAction: string;
  /** As typed; absent keeps the current value. */
  stalledAfterDays?: string;
  trackingUrlInNotifications?: boolean;
}

export async function saveBehaviour(shop: string, input: BehaviourInput) {
  const fieldErrors: Record<string, string> = {};
  if (input.orderIdFormat !== "name" && input.orderIdFormat !== "id") fieldErrors.orderIdFormat = "invalid";
  if (!["archive", "delete", "keep"].includes(input.cancelledFulfillmentAction)) {
    fieldErrors.cancelledFulfillmentAction = "invalid";
  }
  const titleTemplate = input.titleTemplate.trim();
  if (titleTemplate.length > 255) fieldErrors.titleTemplate = "too_long";
  const stalledAfterDays = input.stalledAfterDays === undefined ? undefined : Number(input.stalledAfterDays);
  if (
    stalledAfterDays !== undefined &&
    !(Number.isInteger(stalledAfterDays) && stalledAfterDays >= 1 && stalledAfterDays <= 90)
  )
    fieldErrors.stalledAfterDays = "days_range";
  if (Object.keys(fieldErrors).length > 0) throw new ValidationError(fieldErrors);
  return updateShopSettings(shop, {
    createOnFulfillment: input.createOnFulfillment,
    orderIdFormat: input.orderIdFormat as OrderIdFormat,
    titleTemplate: titleTemplate || "{{first_item}}{{more_items}}",
    cancelledFulfillmentAction: input.cancelledFulfillmentAction as CancelledFulfillmentAction,
    ...(stalledAfterDays === undefined ? {} : { stalledAfterDays }),
    trackingUrlInNotifications: input.trackingUrlInNotifications,
  });
}

/** `carrierName`: the merchant's name for a carrier code (the admin's formatters give it). */
export async function listCarrierOverrides(shop: string, carrierName: (code: string) => string) {
  const rows = await prisma.carrierOverride.findMany({
    where: { shop },
    orderBy: [{ trackingCompany: "asc" }, { country: "asc" }],
  });
  return rows.map((r) => ({
    id: r.id,
    trackingCompany: r.trackingCompany,
    country: r.country,
    carrierCode: r.carrierCode,
    carrierName: carrierName(r.carrierCode),
  }));
}

/**
 * Replaces the shop's overrides with the table the merchant saved. `country` (two letters, or
 * empty for every country) scopes an override to parcels shipped from that country.
 */
export async function saveCarrierOverrides(
  shop: string,
  rows: { trackingCompany: string; carrierCode: string; country?: string }[],
) {
  const fieldErrors: Record<string, string> = {};
  const seen = new Set<string>();
  const catalog = await loadCarrierCatalog(shop);
  const clean = rows
    .map((row, index) => ({
      index,
      trackingCompany: normaliseCompanyName(String(row.trackingCompany ?? "")),
      country: String(row.country ?? "")
        .trim()
        .toUpperCase(),
      carrierCode: String(row.carrierCode ?? "")
        .trim()
        .toLowerCase(),
    }))
    .filter((row) => row.trackingCompany || row.carrierCode);
  for (const row of clean) {
    const key = `${row.trackingCompany}\u0000${row.country}`;
    if (!row.trackingCompany) fieldErrors[`overrides.${row.index}.trackingCompany`] = "required";
    else if (seen.has(key)) fieldErrors[`overrides.${row.index}.trackingCompany`] = "duplicate";
    seen.add(key);
    if (row.country && !/^[A-Z]{2}$/.test(row.country))
      fieldErrors[`overrides.${row.index}.country`] = "invalid_country";
    if (!CARRIER_CODE.test(row.carrierCode) || !catalog.has(row.carrierCode))
      fieldErrors[`overrides.${row.index}.carrierCode`] = "unknown_carrier";
  }
  if (Object.keys(fieldErrors).length > 0) throw new ValidationError(fieldErrors);
  await prisma.$transaction([
    prisma.carrierOverride.deleteMany({ where: { shop } }),
    ...clean.map((row) =>
      prisma.carrierOverride.create({
        data: {
          shop,
          trackingCompany: row.trackingCompany,
          country: row.country,
          carrierCode: row.carrierCode,
        },
      }),
    ),
  ]);
}
