import { createContext, useCallback, useContext, type ReactNode } from "react";
import en from "./locales/en.json";
import zhCN from "./locales/zh-CN.json";

// Every string a merchant sees goes through `t`. English is the reference: a key missing from
// another locale falls back to English, and a test checks that every locale is complete.
export const messages = { en, "zh-CN": zhCN } as const;
export type Locale = keyof typeof messages;
export type MessageKey = keyof typeof en;
export const DEFAULT_LOCALE: Locale = "en";

/** Shopify passes the merchant's admin language as `locale` (e.g. "zh-CN", "en-US"). */
export function resolveLocale(requested: string | null | undefined): Locale {
  if (!requested) return DEFAULT_LOCALE;
  const normalised = requested.replace("_", "-").toLowerCase();
  if (normalised.startsWith("zh")) return "zh-CN";
  return DEFAULT_LOCALE;
}

export function translate(
  locale: Locale,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  const table = messages[locale] as Record<string, string>;
  const template = table[key] ?? (en as Record<string, string>)[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

const LocaleContext = createContext<Locale>(DEFAULT_LOCALE);

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export function useTranslation() {
  const locale = useContext(LocaleContext);
  const t = useCallback(
    (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values),
    [locale],
  );
  return { t, locale };
}
