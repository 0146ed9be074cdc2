import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { useTranslation } from "~/i18n";
import type { PerformanceFigures } from "~/models/delivery-promise/analytics.server";

export function percent(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 1000) / 10}%`;
}

type Row = PerformanceFigures & { carrierCode: string; originCountry?: string; destinationCountry?: string };

/** Per carrier or per route: the figures as a Polaris data table (scrolls sideways on a phone). */
export function PerformanceTable({
  title,
  rows,
  withRoute = false,
}: {
  title: string;
  rows: Row[];
  withRoute?: boolean;
}) {
  const { t } = useTranslation();
  const days = (n: number | null) => (n === null ? "—" : String(n));
  const country = (c: string | undefined) => c || t("analytics.unknownCountry");
  const headings = [
    t("analytics.col.carrier"),
    ...(withRoute ? [t("analytics.col.route")] : []),
    t("analytics.col.parcels"),
    t("analytics.col.medianDays"),
    t("analytics.col.p90Days"),
    t("analytics.col.withinEstimate"),
    t("analytics.col.exceptions"),
    t("analytics.col.failedAttempts"),
  ];
  return (
    <Card padding="0">
      <BlockStack gap="0">
        <div style={{ padding: "var(--p-space-400) var(--p-space-400) 0" }}>
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
        </div>
        <DataTable
          columnContentTypes={[
            "text",
            ...(withRoute ? (["text"] as const) : []),
            "numeric",
            "numeric",
            "numeric",
            "numeric",
            "numeric",
            "numeric",
          ]}
          headings={headings}
          rows={rows.map((r) => [
            r.carrierCode || t("trackings.noCarrier"),
            ...(withRoute ? [`${country(r.originCountry)} → ${country(r.destinationCountry)}`] : []),
            r.parcels,
            days(r.medianDays),
            days(r.p90Days),
            percent(r.withinEstimate),
            percent(r.exceptionRate),
            percent(r.failedAttemptRate),
          ])}
        />
      </BlockStack>
    </Card>
  );
}
