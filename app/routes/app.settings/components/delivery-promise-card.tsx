import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "~/i18n";

/** When a parcel counts as stalled (the dashboard card, the list's view and the digest). */
export function DeliveryPromiseCard({
  stalledAfterDays,
  busy,
  errorText,
  onSubmit,
}: {
  stalledAfterDays: number;
  busy: boolean;
  errorText: (field: string) => string | undefined;
  onSubmit: (values: Record<string, string>) => void;
}) {
  const { t } = useTranslation();
  const [days, setDays] = useState(String(stalledAfterDays));
  return (
    <Card>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit({ intent: "deliveryPromises", stalledAfterDays: days });
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
