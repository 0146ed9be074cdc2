import { BlockStack, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "~/i18n";
import type { CarrierPerformance } from "~/models/delivery-promise/analytics.server";
import { percent } from "./performance-table";

// Two small charts in HTML and Polaris tokens (no chart library): days to delivery per carrier
// as a bar to the median and a lighter bar on to the 90th percentile, and per carrier the share
// delivered within the estimate beside the exception and failed-attempt rates. Every bar has
// its number written next to it, so the charts read without colour and on a phone.

const ROW: React.CSSProperties = {
  display: "grid",
  gridTemplateColumns: "minmax(4.5rem, 7rem) 1fr minmax(4.5rem, auto)",
  alignItems: "center",
  gap: 8,
};
const TRACK: React.CSSProperties = {
  position: "relative",
  background: "var(--p-color-bg-surface-secondary)",
  borderRadius: 4,
  height: 14,
};

function Swatch({ color, label }: { color: string; label: string }) {
  return (
    <InlineStack gap="100" blockAlign="center">
      <span
        aria-hidden
        style={{ width: 10, height: 10, borderRadius: 2, background: color, display: "inline-block" }}
      />
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
    </InlineStack>
  );
}

export function CarrierCharts({ carriers }: { carriers: (CarrierPerformance & { carrierName: string })[] }) {
  const { t } = useTranslation();
  const shown = carriers.slice(0, 10);
  const maxDays = Math.max(1, ...shown.map((c) => c.p90Days ?? 0));
  const bar = (from: number, to: number, color: string): React.CSSProperties => ({
    position: "absolute",
    left: `${(from / maxDays) * 100}%`,
    width: `${((to - from) / maxDays) * 100}%`,
    top: 0,
    bottom: 0,
    background: color,
    borderRadius: 4,
  });
  const share = (value: number | null, color: string) => (
    <span style={TRACK}>
      <span style={{ ...bar(0, 0, color), left: 0, width: `${(value ?? 0) * 100}%` }} />
    </span>
  );
  const MEDIAN = "var(--p-color-bg-fill-info)";
  const P90 = "var(--p-color-bg-fill-info-secondary)";
  const ON_TIME = "var(--p-color-bg-fill-success)";
  const EXCEPTION = "var(--p-color-bg-fill-critical)";
  const FAILED = "var(--p-color-bg-fill-caution)";

  return (
    <InlineGrid columns={{ xs: 1, md: 2 }} gap="400" alignItems="start">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("analytics.chart.days")}
          </Text>
          <InlineStack gap="300">
            <Swatch color={MEDIAN} label={t("analytics.col.medianDays")} />
            <Swatch color={P90} label={t("analytics.col.p90Days")} />
          </InlineStack>
          <ul
            aria-label={t("analytics.chart.days")}
            style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: 8 }}
          >
            {shown.map((c) => (
              <li key={c.carrierCode} style={ROW}>
                <Text as="span" truncate>
                  {c.carrierName || t("trackings.noCarrier")}
                </Text>
                <span style={TRACK}>
                  {c.p90Days !== null && <span style={bar(0, c.p90Days, P90)} />}
                  {c.medianDays !== null && <span style={bar(0, c.medianDays, MEDIAN)} />}
                </span>
                <Text as="span" alignment="end" numeric>
                  {c.medianDays === null ? "—" : `${c.medianDays} / ${c.p90Days}`}
                </Text>
              </li>
            ))}
          </ul>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("analytics.chart.reliability")}
          </Text>
          <InlineStack gap="300">
            <Swatch color={ON_TIME} label={t("analytics.col.withinEstimate")} />
            <Swatch color={EXCEPTION} label={t("analytics.col.exceptions")} />
            <Swatch color={FAILED} label={t("analytics.col.failedAttempts")} />
          </InlineStack>
          <ul
            aria-label={t("analytics.chart.reliability")}
            style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: 10 }}
          >
            {shown.map((c) => (
              <li key={c.carrierCode} style={{ display: "grid", gap: 3 }}>
                <Text as="span" fontWeight="semibold" truncate>
                  {c.carrierName || t("trackings.noCarrier")}
                </Text>
                {(
                  [
                    [c.withinEstimate, ON_TIME],
                    [c.exceptionRate, EXCEPTION],
                    [c.failedAttemptRate, FAILED],
                  ] as const
                ).map(([value, color]) => (
                  <span key={color} style={{ ...ROW, gridTemplateColumns: "1fr minmax(3.5rem, auto)" }}>
                    {share(value, color)}
                    <Text as="span" alignment="end" variant="bodySm" numeric>
                      {percent(value)}
                    </Text>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </BlockStack>
      </Card>
    </InlineGrid>
  );
}
