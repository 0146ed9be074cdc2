import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useTranslation, type MessageKey } from "~/i18n";
import type { OverrideRow as Row } from "./settings-values";

interface Props {
  rows: Row[];
  fieldErrors: Record<string, string>;
  onChange: (rows: Row[]) => void;
}

/**
 * The shop's own "Shopify tracking company → TrackingMore carrier" table, edited as a whole and
 * saved with the rest of the Settings form.
 */
export function CarrierOverridesCard({ rows, fieldErrors, onChange }: Props) {
  const { t } = useTranslation();
  const setRows = (update: (current: Row[]) => Row[]) => onChange(update(rows));
  const change = (index: number, field: keyof Row, value: string) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, [field]: value } : row)));
  const error = (index: number, field: keyof Row) => {
    const code = fieldErrors[`overrides.${index}.${field}`];
    return code ? t(`errors.${code}` as MessageKey) : undefined;
  };
  return (
    <Card>
      <BlockStack gap="400">
        {rows.length === 0 && <Text as="p">{t("settings.overrides.empty")}</Text>}
        {rows.map((row, index) => (
          <InlineStack key={index} gap="200" blockAlign="end">
            <div style={{ flexGrow: 1 }}>
              <TextField
                label={t("settings.overrides.company")}
                autoComplete="off"
                value={row.trackingCompany}
                onChange={(value) => change(index, "trackingCompany", value)}
                error={error(index, "trackingCompany")}
              />
            </div>
            <div style={{ width: "7rem", flexShrink: 0 }}>
              <TextField
                label={t("settings.overrides.country")}
                placeholder={t("settings.overrides.countryAny")}
                autoComplete="off"
                maxLength={2}
                value={row.country}
                onChange={(value) => change(index, "country", value.toUpperCase())}
                error={error(index, "country")}
              />
            </div>
            <div style={{ flexGrow: 1 }}>
              <TextField
                label={t("settings.overrides.carrier")}
                autoComplete="off"
                value={row.carrierCode}
                onChange={(value) => change(index, "carrierCode", value)}
                error={error(index, "carrierCode")}
              />
            </div>
            <Button
              tone="critical"
              variant="plain"
              onClick={() => setRows((current) => current.filter((_, i) => i !== index))}
            >
              {t("settings.overrides.remove")}
            </Button>
          </InlineStack>
        ))}
        <InlineStack gap="200" align="end">
          <Button
            onClick={() =>
              setRows((current) => [...current, { trackingCompany: "", country: "", carrierCode: "" }])
            }
          >
            {t("settings.overrides.add")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
