import prisma from "~/db/client.server";
import { ValidationError } from "~/lib/errors.server";
import {
  shopSettingsWrites,
  trackingMoreAccountEmailWrites,
  trackingMoreApiKeyWrites,
  DEFAULT_TITLE_TEMPLATE,
  type SettingsWrite,
  type CancelledFulfillmentAction,
  type OrderIdFormat,
  type ShopSettingsChanges,
} from "~/models/settings.server";
import { airCargoEnabledWrites } from "~/models/delivery-promise/air-cargo.server";
import { loadCarrierCatalog, normaliseCompanyName } from "~/models/carriers/carriers.server";
import { trackingMoreClientForKey } from "~/trackingmore.server";
import { TrackingMoreError } from "~/trackingmore";

// What the Settings page changes, saved as one form. The API key is checked against TrackingMore
// (user info) before it is stored; an unreachable TrackingMore is a different answer from a wrong key.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CARRIER_CODE = /^[a-z0-9][a-z0-9-]{1,59}$/;

/** The key as TrackingMore sees it: its quota left, or the field error the merchant reads. */
async function checkTrackingMoreKey(key: string): Promise<{ remainingQuota: number }> {
  const client = trackingMoreClientForKey(key);
  // Paused after a 429 (by any worker): say so now rather than hold the page for minutes.
  if (await client.rateLimitedUntil()) throw new ValidationError({ apiKey: "trackingmore_unreachable" });
  try {
    return { remainingQuota: (await client.getUserInfo()).remainingQuota };
  } catch (error) {
    if (error instanceof TrackingMoreError && error.retryable) {
      throw new ValidationError({ apiKey: "trackingmore_unreachable" });
    }
    throw new ValidationError({ apiKey: "rejected_api_key" });
  }
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

function checkBehaviour(input: BehaviourInput, fieldErrors: Record<string, string>): ShopSettingsChanges {
  if (input.orderIdFormat !== "name" && input.orderIdFormat !== "id") fieldErrors.orderIdFormat = "invalid";
  if (!["archive", "delete", "keep"].includes(input.cancelledFulfillmentAction)) {
    fieldErrors.cancelledFulfillmentAction = "invalid";
  }
  const titleTemplate = String(input.titleTemplate ?? "").trim();
  if (titleTemplate.length > 255) fieldErrors.titleTemplate = "too_long";
  const stalledAfterDays = input.stalledAfterDays === undefined ? undefined : Number(input.stalledAfterDays);
  if (
    stalledAfterDays !== undefined &&
    !(Number.isInteger(stalledAfterDays) && stalledAfterDays >= 1 && stalledAfterDays <= 90)
  )
    fieldErrors.stalledAfterDays = "days_range";
  return {
    createOnFulfillment: input.createOnFulfillment === true,
    orderIdFormat: input.orderIdFormat as OrderIdFormat,
    titleTemplate: titleTemplate || DEFAULT_TITLE_TEMPLATE,
    cancelledFulfillmentAction: input.cancelledFulfillmentAction as CancelledFulfillmentAction,
    ...(stalledAfterDays === undefined ? {} : { stalledAfterDays }),
    ...(input.trackingUrlInNotifications === undefined
      ? {}
      : { trackingUrlInNotifications: input.trackingUrlInNotifications === true }),
  };
}

export interface CarrierOverrideInput {
  trackingCompany: string;
  carrierCode: string;
  country?: string;
}

/**
 * The Settings form's sections the merchant changed; an absent section stays as it is. The API
 * key and account email are present only when the merchant typed a new one (they are never sent
 * to the page, so there is nothing to compare with).
 */
export interface SettingsFormInput {
  apiKey?: string;
  accountEmail?: string;
  behaviour?: BehaviourInput;
  writeBackEnabled?: boolean;
  airCargoEnabled?: boolean;
  overrides?: CarrierOverrideInput[];
}

/**
 * Saves the changed sections of the Settings form as one: every section is checked first (a
 * new API key with TrackingMore, too), and when any field is wrong nothing is saved and every
 * field error comes back at once. Returns the quota of a newly connected key.
 */
export async function saveSettingsForm(
  shop: string,
  input: SettingsFormInput,
): Promise<{ remainingQuota?: number }> {
  const fieldErrors: Record<string, string> = {};
  const apiKey = input.apiKey?.trim();
  if (apiKey !== undefined && (apiKey.length < 8 || /\s/.test(apiKey)))
    fieldErrors.apiKey = "invalid_api_key";
  const accountEmail = input.accountEmail?.trim();
  if (accountEmail !== undefined && !EMAIL.test(accountEmail)) fieldErrors.accountEmail = "invalid_email";
  const changes: ShopSettingsChanges = input.behaviour ? checkBehaviour(input.behaviour, fieldErrors) : {};
  if (input.writeBackEnabled !== undefined) changes.writeBackEnabled = input.writeBackEnabled === true;
  const overrides = input.overrides ? await checkCarrierOverrides(shop, input.overrides, fieldErrors) : null;
  let remainingQuota: number | undefined;
  if (apiKey !== undefined && !fieldErrors.apiKey) {
    try {
      ({ remainingQuota } = await checkTrackingMoreKey(apiKey));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      Object.assign(fieldErrors, error.fieldErrors);
    }
  }
  if (Object.keys(fieldErrors).length > 0) throw new ValidationError(fieldErrors);

  // One transaction: the form is saved whole or not at all.
  await prisma.$transaction([
    ...(apiKey !== undefined ? trackingMoreApiKeyWrites(shop, apiKey) : []),
    ...(accountEmail !== undefined ? trackingMoreAccountEmailWrites(shop, accountEmail) : []),
    ...(Object.keys(changes).length > 0 ? await shopSettingsWrites(shop, changes) : []),
    ...(input.airCargoEnabled !== undefined
      ? airCargoEnabledWrites(shop, input.airCargoEnabled === true)
      : []),
    ...(overrides ? carrierOverrideWrites(shop, overrides) : []),
  ]);
  return remainingQuota === undefined ? {} : { remainingQuota };
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

type CleanOverride = { trackingCompany: string; country: string; carrierCode: string };

/**
 * The merchant's override table, cleaned (empty rows dropped). `country` (two letters, or empty
 * for every country) scopes an override to parcels shipped from that country.
 */
async function checkCarrierOverrides(
  shop: string,
  rows: CarrierOverrideInput[],
  fieldErrors: Record<string, string>,
): Promise<CleanOverride[]> {
  const seen = new Set<string>();
  const catalog = await loadCarrierCatalog(shop);
  const clean = (Array.isArray(rows) ? rows : [])
    .map((row, index) => ({
      index,
      trackingCompany: normaliseCompanyName(String(row?.trackingCompany ?? "")),
      country: String(row?.country ?? "")
        .trim()
        .toUpperCase(),
      carrierCode: String(row?.carrierCode ?? "")
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
  return clean.map(({ trackingCompany, country, carrierCode }) => ({
    trackingCompany,
    country,
    carrierCode,
  }));
}

/** Replaces the shop's overrides with the table the merchant saved. */
function carrierOverrideWrites(shop: string, rows: CleanOverride[]): SettingsWrite[] {
  return [
    prisma.carrierOverride.deleteMany({ where: { shop } }),
    ...rows.map((row) => prisma.carrierOverride.create({ data: { shop, ...row } })),
  ];
}
