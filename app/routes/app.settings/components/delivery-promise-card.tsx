import { Card, Checkbox } from "@shopify/polaris";
import { useTranslation } from "~/i18n";

/**
 * Delivery promises: the air cargo lookups (they cost quota, so they are opt-in). When a parcel
 * counts as stalled is the "Behaviour" section's setting.
 */
export function DeliveryPromiseCard({
  airCargoEnabled,
  onChange,
}: {
  airCargoEnabled: boolean;
  onChange: (enabled: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <Card>
      <Checkbox
        label={t("settings.delivery.airCargo")}
        helpText={t("settings.delivery.airCargoHelp")}
        checked={airCargoEnabled}
        onChange={onChange}
      />
    </Card>
  );
}
