import { createInstance, type TOptions } from "i18next";
import { useCallback } from "react";
import { useTranslation as useI18next } from "react-i18next";
import { DEFAULT_LOCALE, i18nextOptions, resources, type Locale } from "./config";
import type en from "./locales/en.json";

export { DEFAULT_LOCALE, SUPPORTED_LOCALES, type Locale } from "./config";

// Every string a merchant sees goes through i18next (`t`). English is the reference: a key missing
// from another locale falls back to English, and a test checks that every locale is complete.
// Counted strings are plural keys ("bulk.toast_one", "bulk.toast_other"), chosen by `count`.
export const messages = { en: resources.en.translation, "zh-CN": resources["zh-CN"].translation } as const;
type RawKey = keyof typeof en;
export type MessageKey = RawKey extends infer K
  ? K extends `${infer Base}_${"zero" | "one" | "two" | "few" | "many" | "other"}`
    ? Base
    : K
  : never;
export type MessageValues = Record<string, string | number>;

/** Shopify passes the merchant's admin language as `locale` (e.g. "zh-CN", "en-US"). */
export function resolveLocale(requested: string | null | undefined): Locale {
  if (!requested) return DEFAULT_LOCALE;
  const normalised = requested.replace("_", "-").toLowerCase();
  if (normalised.startsWith("zh")) return "zh-CN";
  return DEFAULT_LOCALE;
}

// One instance for words rendered outside React (the storefront page, the order block's API).
const shared = createInstance(i18nextOptions);
void shared.init();

export function translate(locale: Locale, key: MessageKey, values: MessageValues = {}): string {
  return shared.t(key, { ...values, lng: locale } as TOptions);
}

export function useTranslation() {
  const { t: base, i18n } = useI18next();
  const t = useCallback((key: MessageKey, values?: MessageValues) => base(key, values as TOptions), [base]);
  return { t, locale: resolveLocale(i18n.language) };
}
