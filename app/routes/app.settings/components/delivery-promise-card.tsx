import { BlockStack, Button, Card, Checkbox, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "~/i18n";

/**
 * Delivery promises: the air cargo lookups (they cost quota, so they are opt-in). When a parcel
 * counts as stalled is the "Behaviour" card's setting.
 */
export function DeliveryPromiseCard({
  airCargoEnabled,
  busy,
  onSubmit,
}: {
  airCargoEnabled: boolean;
  busy: boolean;
  onSubmit: (values: Record<string, string>) => void;
}) {
  const { t } = useTranslation();
  const [airCargo, setAirCargo] = useState(airCargoEnabled);
  return (
    <Card>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit({ intent: "deliveryPromises", airCargoEnabled: String(airCargo) });
        }}
      >
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {t("settings.delivery.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("settings.delivery.help")}
          </Text>
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
