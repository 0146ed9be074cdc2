import { Badge, BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import { useTranslation, type MessageKey } from "~/i18n";

interface Row {
  trackingCompany: string | null;
  originCountry: string | null;
  carrierCode: string;
  carrierName: string | null;
  carrierSource: string | null;
  trackings: number;
  found: number;
  notFound: number;
}

const SOURCES = ["shopify_table", "shop_override", "carrier_list", "detected", "merchant"];

/** Which carrier each Shopify company name went to in the last 30 days, and whether it was found. */
export function CarrierMappingReportCard({ rows }: { rows: Row[] }) {
  const { t, locale } = useTranslation();
  const regions = new Intl.DisplayNames([locale], { type: "region" });
  const country = (code: string | null) => {
    if (!code) return t("settings.mappingReport.countryUnknown");
    try {
      return regions.of(code) ?? code;
    } catch {
      return code;
    }
  };
  const source = (value: string | null) =>
    t(`settings.mappingReport.source.${value && SOURCES.includes(value) ? value : "none"}` as MessageKey);
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("settings.mappingReport.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("settings.mappingReport.help")}
        </Text>
        {rows.length === 0 ? (
          <Text as="p">{t("settings.mappingReport.empty")}</Text>
        ) : (
          <DataTable
            // Found comes second: on a phone the table scrolls, and it is what shows a wrong mapping.
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={[
              t("settings.mappingReport.company"),
              t("settings.mappingReport.found"),
              t("settings.mappingReport.carrier"),
              t("settings.mappingReport.shipsFrom"),
              t("settings.mappingReport.chosenBy"),
            ]}
            rows={rows.map((row) => [
              row.trackingCompany ?? t("settings.mappingReport.noCompany"),
              <InlineStack key="found" gap="200" align="start" blockAlign="center" wrap={false}>
                <Text as="span">
                  {t("settings.mappingReport.foundOf", { found: row.found, total: row.trackings })}
                </Text>
                {row.found === 0 && row.notFound > 0 && (
                  <Badge tone="critical">{t("settings.mappingReport.neverFound")}</Badge>
                )}
              </InlineStack>,
              row.carrierCode ? (row.carrierName ?? row.carrierCode) : t("settings.mappingReport.noCarrier"),
              country(row.originCountry),
              source(row.carrierSource),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
