import { Link as RemixLink } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "~/i18n";
import type { LabelledAirCargoView } from "~/models/delivery-promise/air-cargo.server";

/** An air waybill's flights and stations; the lookup's quota cost is on the button. */
export function AirCargoCard({
  airCargo,
  busy,
  error,
  onLookUp,
}: {
  airCargo: LabelledAirCargoView;
  busy: boolean;
  error?: string;
  onLookUp: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("airCargo.title")}
        </Text>
        {error && <Banner tone="critical">{error}</Banner>}
        {!airCargo.enabled ? (
          <Text as="p" tone="subdued">
            {t("airCargo.off", { cost: airCargo.quotaCost })}{" "}
            <RemixLink to="/app/settings">{t("dashboard.empty.action")}</RemixLink>
          </Text>
        ) : (
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="p" tone="subdued">
              {airCargo.track
                ? t("airCargo.route", {
                    from: airCargo.track.origin ?? "—",
                    to: airCargo.track.destination ?? "—",
                  })
                : t("airCargo.notYet")}
            </Text>
            <Button onClick={onLookUp} loading={busy}>
              {t("airCargo.lookUp", { cost: airCargo.quotaCost })}
            </Button>
          </InlineStack>
        )}
        {airCargo.track && (
          <ol style={{ margin: 0, paddingLeft: "1.2em", display: "grid", gap: 6 }}>
            {airCargo.track.events.map((e, i) => (
              <li key={i}>
                <Text as="span" fontWeight="semibold">
                  {[e.event, e.station, e.flightNumber && t("airCargo.flight", { flight: e.flightNumber })]
                    .filter(Boolean)
                    .join(" · ")}
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  {e.actualLabel
                    ? t("airCargo.actual", { time: e.actualLabel })
                    : e.plannedLabel
                      ? t("airCargo.planned", { time: e.plannedLabel })
                      : ""}
                </Text>
              </li>
            ))}
          </ol>
        )}
      </BlockStack>
    </Card>
  );
}
