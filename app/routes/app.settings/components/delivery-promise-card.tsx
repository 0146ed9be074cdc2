import { BlockStack, Button, Card, Checkbox, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "~/i18n";

/** When a parcel counts as stalled (the dashboard card, the list's view and the digest). */
export function DeliveryPromiseCard({
  stalledAfterDays,
  airCargoEnabled,
  busy,
  errorText,
  onSubmit,
}: {
  stalledAfterDays: number;
  airCargoEnabled: boolean;
  busy: boolean;
  errorText: (field: string) => string | undefined;
  onSubmit: (values: Record<string, string>) => void;
}) {
  const { t } = useTranslation();
  const [days, setDays] = useState(String(stalledAfterDays));
  const [airCargo, setAirCargo] = useState(airCargoEnabled);
  return (
    <Card>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit({ intent: "deliveryPromises", stalledAfterDays: days, airCargoEnabled: String(airCargo) });
        }}
      >
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {t("settings.delivery.title")}
          </Text>
          <TextField
            label={t("settings.delivery.stalledAfterDays")}
            type="number"
            min={1}
            max={60}
            autoComplete="off"
            value={days}
            onChange={setDays}
            suffix={t("settings.delivery.days")}
            helpText={t("settings.delivery.stalledHelp")}
            error={errorText("stalledAfterDays")}
          />
          <Checkbox
            label={t("settings.delivery.airCargo")}
            helpText={t("settings.delivery.airCargoHelp")}
            checked={airCargo}
            onChange={setAirCargo}
          />
          <InlineStack align="end">
            <Button submit variant="primary" loading={busy}>
              {t("common.save")}
            </Button>
          </InlineStack>
        </BlockStack>
      </form>
    </Card>
  );
}
