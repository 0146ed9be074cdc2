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

export type OverrideRow = { trackingCompany: string; country: string; carrierCode: string };

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
  overrides: OverrideRow[];
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
    overrides: overrides.map(({ trackingCompany, country, carrierCode }) => ({
      trackingCompany,
      country,
      carrierCode,
    })),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

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
    ...(same(saved.overrides, current.overrides) ? {} : { overrides: current.overrides }),
  };
}
