import { BlockStack, Card, Text } from "@shopify/polaris";
import { useTranslation } from "~/i18n";
import type { PerformanceFigures } from "~/models/delivery-promise/analytics.server";

export function percent(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 1000) / 10}%`;
}

type Row = PerformanceFigures & {
  carrierCode: string;
  carrierName: string;
  originCountry?: string;
  destinationCountry?: string;
};

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
  const cells = rows.map((r) => [
    r.carrierName || t("trackings.noCarrier"),
    ...(withRoute ? [`${country(r.originCountry)} → ${country(r.destinationCountry)}`] : []),
    String(r.parcels),
    days(r.medianDays),
    days(r.p90Days),
    percent(r.withinEstimate),
    percent(r.exceptionRate),
    percent(r.failedAttemptRate),
  ]);
  const textColumns = withRoute ? 2 : 1;
  const cell = (i: number): React.CSSProperties => ({
    padding: "var(--p-space-200) var(--p-space-300)",
    textAlign: i < textColumns ? "left" : "right",
    whiteSpace: "nowrap",
    fontVariantNumeric: "tabular-nums",
    borderBottom: "var(--p-border-width-025) solid var(--p-color-border-secondary)",
  });
  // A plain table in Polaris tokens that scrolls sideways on a phone, the carrier column kept
  // in view (Polaris' DataTable measures its columns in the browser and breaks when hydrated
  // at phone width).
  return (
    <Card padding="0">
      <BlockStack gap="200">
        <div style={{ padding: "var(--p-space-400) var(--p-space-400) 0" }}>
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
        </div>
        <div style={{ overflowX: "auto" }}>
          <table style={{ borderCollapse: "collapse", width: "100%", fontSize: "var(--p-font-size-325)" }}>
            <thead>
              <tr>
                {headings.map((h, i) => (
                  <th
                    key={h}
                    scope="col"
                    style={{
                      ...cell(i),
                      fontWeight: "var(--p-font-weight-medium)",
                      color: "var(--p-color-text-secondary)",
                      background: "var(--p-color-bg-surface-secondary)",
                      whiteSpace: "normal",
                      minWidth: i === 0 ? undefined : "5em",
                      ...(i === 0 ? { position: "sticky", left: 0 } : {}),
                    }}
                  >
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {cells.map((row, r) => (
                <tr key={r}>
                  {row.map((value, i) =>
                    i === 0 ? (
                      <th
                        key={i}
                        scope="row"
                        style={{
                          ...cell(i),
                          fontWeight: "var(--p-font-weight-semibold)",
                          position: "sticky",
                          left: 0,
                          background: "var(--p-color-bg-surface)",
                        }}
                      >
                        {value}
                      </th>
                    ) : (
                      <td key={i} style={cell(i)}>
                        {value}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </BlockStack>
    </Card>
  );
}
