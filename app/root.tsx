import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import i18nextServer, { localeCookie } from "~/i18n/i18next.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const locale = await i18nextServer.getLocale(request);
  // Shopify's `locale` comes only with the document load that opens the app: keep it for the
  // app's own navigations, which carry no `locale`.
  const headers = new URL(request.url).searchParams.has("locale")
    ? { "Set-Cookie": await localeCookie.serialize(locale) }
    : undefined;
  return json({ locale }, { headers });
};

export default function App() {
  const { locale } = useLoaderData<typeof loader>();
  const { i18n } = useTranslation();
  useChangeLanguage(locale);
  return (
    <html lang={locale} dir={i18n.dir(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <link rel="stylesheet" href="https://cdn.shopify.com/static/fonts/inter/v4/styles.css" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
