import type { CarrierChoice } from "~/components/carrier-picker";
import type { SettingsFormInput } from "~/models/admin/settings-admin.server";

// The Settings form's values as the merchant edits them, and what of them to send: only the
// sections that differ from what is saved, so a save never rewrites what nobody touched.

export interface BehaviourValues {
  createOnFulfillment: boolean;
  orderIdFormat: string;
  titleTemplate: string;
  cancelledFulfillmentAction: string;
  stalledAfterDays: string;
  trackingUrlInNotifications: boolean;
}

/** `key` keeps each row's carrier search with its row when an earlier row is removed. */
export type OverrideRow = {
  key: number;
  trackingCompany: string;
  country: string;
  carrier: CarrierChoice | null;
};
type SavedOverride = { trackingCompany: string; country: string; carrierCode: string; carrierName: string };

export interface SettingsValues {
  /** Typed only: the saved key never comes to the page. */
  apiKey: string;
  accountEmail: string;
  behaviour: BehaviourValues;
  writeBackEnabled: boolean;
  airCargoEnabled: boolean;
  overrides: OverrideRow[];
}

export interface SavedSettings {
  settings: {
    createOnFulfillment: boolean;
    orderIdFormat: string;
    titleTemplate: string;
    cancelledFulfillmentAction: string;
    stalledAfterDays: number;
    trackingUrlInNotifications: boolean;
    writeBackEnabled: boolean;
  };
  overrides: SavedOverride[];
  airCargoEnabled: boolean;
}

export function savedValues({ settings, overrides, airCargoEnabled }: SavedSettings): SettingsValues {
  return {
    apiKey: "",
    accountEmail: "",
    behaviour: {
      createOnFulfillment: settings.createOnFulfillment,
      orderIdFormat: settings.orderIdFormat,
      titleTemplate: settings.titleTemplate,
      cancelledFulfillmentAction: settings.cancelledFulfillmentAction,
      stalledAfterDays: String(settings.stalledAfterDays),
      trackingUrlInNotifications: settings.trackingUrlInNotifications,
    },
    writeBackEnabled: settings.writeBackEnabled,
    airCargoEnabled,
    overrides: overrides.map(({ trackingCompany, country, carrierCode, carrierName }, key) => ({
      key,
      trackingCompany,
      country,
      carrier: { code: carrierCode, name: carrierName },
    })),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The rows as the action takes them: a carrier by its code. */
const overridesInput = (rows: OverrideRow[]) =>
  rows.map(({ trackingCompany, country, carrier }) => ({
    trackingCompany,
    country,
    carrierCode: carrier?.code ?? "",
  }));

/** The changed sections, as the action takes them; empty when the form is clean. */
export function changedSections(saved: SettingsValues, current: SettingsValues): SettingsFormInput {
  return {
    ...(current.apiKey !== "" ? { apiKey: current.apiKey } : {}),
    ...(current.accountEmail !== "" ? { accountEmail: current.accountEmail } : {}),
    ...(same(saved.behaviour, current.behaviour) ? {} : { behaviour: current.behaviour }),
    ...(saved.writeBackEnabled === current.writeBackEnabled
      ? {}
      : { writeBackEnabled: current.writeBackEnabled }),
    ...(saved.airCargoEnabled === current.airCargoEnabled
      ? {}
      : { airCargoEnabled: current.airCargoEnabled }),
    ...(same(overridesInput(saved.overrides), overridesInput(current.overrides))
      ? {}
      : { overrides: overridesInput(current.overrides) }),
  };
}
