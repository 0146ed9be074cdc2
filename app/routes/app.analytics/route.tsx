import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { PeriodSelect } from "~/components/period-select";
import { adminFormatters } from "~/models/admin/formatting.server";
import { getCarrierAnalytics } from "~/models/delivery-promise/analytics.server";
import { ANALYTICS_PERIODS, parsePeriod } from "~/models/periods";
import { useTranslation } from "~/i18n";
import { authenticate } from "~/shopify.server";
import { CarrierCharts } from "./components/carrier-charts";
import { PerformanceTable, percent } from "./components/performance-table";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const period = parsePeriod(new URL(request.url).searchParams.get("period"), ANALYTICS_PERIODS);
  const [analytics, format] = await Promise.all([
    getCarrierAnalytics(session.shop, period),
    adminFormatters(request, session.shop),
  ]);
  const named = <T extends { carrierCode: string }>(row: T) => ({
    ...row,
    carrierName: row.carrierCode ? format.carrier(row.carrierCode) : "",
  });
  return json({
    analytics: { ...analytics, carriers: analytics.carriers.map(named), routes: analytics.routes.map(named) },
  });
};

function Figure({ title, value, note }: { title: string; value: string; note?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h2" variant="headingSm" tone="subdued">
          {title}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
        {note && (
          <Text as="p" variant="bodySm" tone="subdued">
            {note}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

export default function CarrierAnalyticsPage() {
  const { analytics } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { total } = analytics;
  const days = (n: number | null) => (n === null ? "—" : t("analytics.days", { count: n }));

  return (
    <Page
      title={t("analytics.title")}
      subtitle={t("analytics.subtitle", { from: analytics.from, to: analytics.to })}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <PeriodSelect periods={ANALYTICS_PERIODS} value={analytics.period} />
            <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
              <Figure title={t("analytics.col.parcels")} value={String(total.parcels)} />
              <Figure
                title={t("analytics.col.median")}
                value={days(total.medianDays)}
                // Without a delivered parcel there is no 90th percentile to speak of.
                note={
                  total.p90Days === null ? undefined : t("analytics.p90Note", { days: days(total.p90Days) })
                }
              />
              <Figure
                title={t("analytics.col.withinEstimate")}
                value={percent(total.withinEstimate)}
                note={t("analytics.ofDelivered", { count: total.withEstimate })}
              />
              <Figure
                title={t("analytics.col.exceptions")}
                value={percent(total.exceptionRate)}
                note={t("analytics.failedNote", { share: percent(total.failedAttemptRate) })}
              />
            </InlineGrid>
            {analytics.carriers.length === 0 ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("analytics.empty.heading")}
                  </Text>
                  <Text as="p" tone="subdued">
                    {t("analytics.empty.body")}
                  </Text>
                </BlockStack>
              </Card>
            ) : (
              <>
                <CarrierCharts carriers={analytics.carriers} />
                <PerformanceTable title={t("analytics.byCarrier")} rows={analytics.carriers} />
                <PerformanceTable title={t("analytics.byRoute")} rows={analytics.routes} withRoute />
              </>
            )}
            <Text as="p" variant="bodySm" tone="subdued">
              {t("analytics.footnote")}
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
