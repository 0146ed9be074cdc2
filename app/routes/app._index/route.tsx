import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useNavigate } from "@remix-run/react";
import { BlockStack, Card, EmptyState, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { getDashboard } from "~/models/admin/dashboard.server";
import { useTranslation, type MessageKey } from "~/i18n";
import { authenticate } from "~/shopify.server";
import { BarChart, CategoryBars } from "./components/bar-chart";
import { DeliveryCard, DigestCard } from "./components/delivery-card";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json({ dashboard: await getDashboard(session.shop) });
};

const ATTENTION_LINKS = [
  { key: "exceptions", href: "/app/trackings?status=exception" },
  { key: "failedAttempts", href: "/app/trackings?status=undelivered" },
  { key: "waitingApiKey", href: "/app/trackings?state=waiting_api_key" },
  { key: "quotaPaused", href: "/app/trackings?state=quota_paused" },
  { key: "needsCarrier", href: "/app/trackings?state=needs_carrier" },
  { key: "needsAttention", href: "/app/trackings?state=needs_attention" },
  { key: "pendingSync", href: "/app/trackings?sync=pending" },
] as const;

function StatCard({ title, value, note }: { title: string; value: number | string; note?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h2" variant="headingSm" tone="subdued">
          {title}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        {note && (
          <Text as="p" tone="subdued" variant="bodySm">
            {note}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const { dashboard } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const navigate = useNavigate();

  if (!dashboard.hasApiKey && dashboard.total === 0) {
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

  return (
    <Page title={t("dashboard.title")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
              <StatCard title={t("dashboard.total")} value={dashboard.total} />
              <StatCard
                title={t("dashboard.quota")}
                value={dashboard.quotaRemaining ?? "—"}
                note={
                  dashboard.quotaRemaining === null
                    ? dashboard.hasApiKey
                      ? t("dashboard.quotaUnavailable")
                      : t("dashboard.quotaNoKey")
                    : undefined
                }
              />
              <StatCard title={t("dashboard.pendingSync")} value={dashboard.attention.pendingSync} />
            </InlineGrid>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("dashboard.byStatus")}
                </Text>
                <CategoryBars
                  title={t("dashboard.byStatus")}
                  bars={dashboard.byStatus.map((s) => ({
                    label: t(`status.${s.status}` as MessageKey),
                    value: s.count,
                    href: `/app/trackings?status=${s.status}`,
                  }))}
                />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("dashboard.perDay")}
                </Text>
                <BarChart
                  title={t("dashboard.perDay")}
                  color="var(--p-color-bg-fill-success)"
                  bars={dashboard.createdPerDay.map((d) => ({ label: d.day, value: d.count }))}
                />
                <InlineStack align="space-between">
                  <Text as="span" variant="bodySm" tone="subdued">
                    {dashboard.createdPerDay[0]?.day}
                  </Text>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {dashboard.createdPerDay[dashboard.createdPerDay.length - 1]?.day}
                  </Text>
                </InlineStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <DeliveryCard delivery={dashboard.delivery} />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("dashboard.attention")}
                </Text>
                {ATTENTION_LINKS.map(({ key, href }) => (
                  <InlineStack key={key} align="space-between">
                    <RemixLink to={href}>{t(`dashboard.attention.${key}` as MessageKey)}</RemixLink>
                    <Text
                      as="span"
                      fontWeight="semibold"
                      tone={dashboard.attention[key] > 0 ? "critical" : "subdued"}
                    >
                      {dashboard.attention[key]}
                    </Text>
                  </InlineStack>
                ))}
                {!dashboard.hasApiKey && (
                  <RemixLink to="/app/settings">{t("dashboard.empty.action")}</RemixLink>
                )}
              </BlockStack>
            </Card>
            <DigestCard digest={dashboard.digest} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
