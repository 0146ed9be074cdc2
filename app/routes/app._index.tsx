import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useNavigate } from "@remix-run/react";
import { Card, EmptyState, Layout, Page } from "@shopify/polaris";
import { useTranslation } from "~/i18n";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json({ shop: session.shop });
};

export default function Dashboard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Page title={t("dashboard.title")}>
      <Layout>
        <Layout.Section>
          <Card>
            <EmptyState
              heading={t("dashboard.empty.heading")}
              action={{ content: t("dashboard.empty.action"), onAction: () => navigate("/app/settings") }}
              image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png"
            >
              <p>{t("dashboard.empty.body")}</p>
            </EmptyState>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
