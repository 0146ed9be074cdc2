import { Card, Checkbox } from "@shopify/polaris";
import { useTranslation } from "~/i18n";

/** Whether carrier events become fulfillment events in Shopify (app/pipeline/write-back). */
export function WriteBackCard({
  enabled,
  onChange,
}: {
  enabled: boolean;
  onChange: (enabled: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <Card>
      <Checkbox
        label={t("settings.writeBack.label")}
        helpText={t("settings.writeBack.help")}
        checked={enabled}
        onChange={onChange}
      />
    </Card>
  );
}
