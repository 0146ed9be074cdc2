import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { appConfig } from "~/config.server";
import { DEFAULT_LOCALE, i18nextOptions, SUPPORTED_LOCALES } from "./config";

// Shopify gives the merchant's admin language as `locale` only on the document load that opens
// the app; the app's own navigations and fetches do not carry it. The cookie keeps it for the
// session. Inside Shopify admin the app is a third-party iframe, so the cookie must be
// SameSite=None; Secure (and Partitioned, so browsers that block third-party cookies keep it).
const secure = appConfig().appUrl.startsWith("https://");
export const localeCookie = createCookie("trackbridge_locale", {
  path: "/",
  httpOnly: true,
  sameSite: secure ? "none" : "lax",
  secure,
  ...(secure ? { partitioned: true } : {}),
  maxAge: 60 * 60 * 24 * 30,
});

const i18nextServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LOCALES],
    fallbackLanguage: DEFAULT_LOCALE,
    searchParamKey: "locale",
    cookie: localeCookie,
    // The admin's `locale`, then the session's, then the browser's languages.
    order: ["searchParams", "cookie", "header"],
  },
  i18next: i18nextOptions,
});

export default i18nextServer;
