import type { LoaderFunctionArgs } from "@remix-run/node";
import { Card, EmptyState, Page } from "@shopify/polaris";
import { useTranslation } from "~/i18n";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

export default function Trackings() {
  const { t } = useTranslation();
  return (
    <Page title={t("trackings.title")}>
      <Card>
        <EmptyState
          heading={t("trackings.empty.heading")}
          image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png"
        >
          <p>{t("trackings.empty.body")}</p>
        </EmptyState>
      </Card>
    </Page>
  );
}
