import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import enPolaris from "@shopify/polaris/locales/en.json";
import zhPolaris from "@shopify/polaris/locales/zh-CN.json";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { appConfig } from "~/config.server";
import { useTranslation } from "~/i18n";
import { authenticate } from "~/shopify.server";

const POLARIS_TRANSLATIONS = { en: enPolaris, "zh-CN": zhPolaris };

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return json({ apiKey: appConfig().shopifyApiKey });
};

function Navigation() {
  const { t } = useTranslation();
  return (
    <NavMenu>
      <Link to="/app" rel="home">
        {t("nav.dashboard")}
      </Link>
      <Link to="/app/trackings">{t("nav.trackings")}</Link>
      <Link to="/app/analytics">{t("nav.analytics")}</Link>
      <Link to="/app/settings">{t("nav.settings")}</Link>
    </NavMenu>
  );
}

export default function App() {
  const { apiKey } = useLoaderData<typeof loader>();
  // The language comes from the root loader (Shopify's `locale`, kept for the session); Polaris
  // speaks the same one.
  const { locale } = useTranslation();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} i18n={POLARIS_TRANSLATIONS[locale]}>
      <Navigation />
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs its own error and header handling so App Bridge can re-authenticate.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
