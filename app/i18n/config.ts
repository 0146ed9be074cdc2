import type { InitOptions } from "i18next";
import en from "./locales/en.json";
import zhCN from "./locales/zh-CN.json";

// The admin's words are small (two locales, one namespace), so both ship in the bundle: the
// browser never waits for a translation file, and the server and the browser render the same
// words from the first paint (no hydration mismatch).
export const resources = {
  en: { translation: en },
  "zh-CN": { translation: zhCN },
} as const;

export const SUPPORTED_LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

export const i18nextOptions = {
  supportedLngs: [...SUPPORTED_LOCALES],
  fallbackLng: DEFAULT_LOCALE,
  defaultNS: "translation",
  // Keys are flat ("dashboard.empty.heading"); a dot is part of the key, not a path.
  keySeparator: false,
  nsSeparator: false,
  // React escapes what it renders; the proxy page escapes its own HTML.
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
  resources,
  initImmediate: false,
} satisfies InitOptions;
