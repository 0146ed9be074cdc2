import { BlockStack, Card, Text } from "@shopify/polaris";
import { useTranslation, type MessageKey } from "~/i18n";

interface CarrierSwitch {
  fromName: string;
  toName: string;
  reason: "notfound" | "refused";
  dateLabel: string;
}

interface Props {
  carrierName: string | null;
  carrierSource: string | null;
  trackingCompany: string | null;
  switches: CarrierSwitch[];
}

const SOURCES = ["shopify_table", "shop_override", "carrier_list", "detected", "merchant"];

/** The parcel's carrier, how it was chosen, and every automatic switch, oldest first. */
export function CarrierSwitchesCard({ carrierName, carrierSource, trackingCompany, switches }: Props) {
  const { t } = useTranslation();
  const source = carrierSource && SOURCES.includes(carrierSource) ? carrierSource : "none";
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("detail.carrier.title")}
        </Text>
        <Text as="p">{carrierName ?? t("trackings.noCarrier")}</Text>
        <Text as="p" tone="subdued">
          {t("detail.carrier.chosenBy", {
            how: t(`settings.mappingReport.source.${source}` as MessageKey),
            company: trackingCompany ?? t("settings.mappingReport.noCompany"),
          })}
        </Text>
        {switches.length > 0 && (
          <ol style={{ margin: 0, paddingInlineStart: "1.25rem" }} aria-label={t("detail.carrier.switches")}>
            {switches.map((s, i) => (
              <li key={i}>
                <Text as="p" variant="bodySm">
                  {t(`detail.carrier.switch.${s.reason}` as MessageKey, {
                    from: s.fromName,
                    to: s.toName,
                    date: s.dateLabel,
                  })}
                </Text>
              </li>
            ))}
          </ol>
        )}
      </BlockStack>
    </Card>
  );
}
