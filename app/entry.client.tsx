import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nextOptions } from "./i18n/config";

// The server chose the language (Shopify's `locale`, then the session's cookie) and wrote it in
// <html lang>; the browser starts in the same one so hydration renders the same words.
void i18next
  .use(initReactI18next)
  .init({ ...i18nextOptions, lng: document.documentElement.lang || i18nextOptions.fallbackLng })
  .then(() => {
    startTransition(() => {
      hydrateRoot(
        document,
        <StrictMode>
          <I18nextProvider i18n={i18next}>
            <RemixBrowser />
          </I18nextProvider>
        </StrictMode>,
      );
    });
  });
