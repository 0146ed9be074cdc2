import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { CarrierPicker } from "~/components/carrier-picker";
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
  const change = <F extends "trackingCompany" | "country" | "carrier">(
    index: number,
    field: F,
    value: Row[F],
  ) => onChange(rows.map((row, i) => (i === index ? { ...row, [field]: value } : row)));
  const error = (index: number, field: "trackingCompany" | "country" | "carrierCode") => {
    const code = fieldErrors[`overrides.${index}.${field}`];
    return code ? t(`errors.${code}` as MessageKey) : undefined;
  };
  const nextKey = rows.reduce((max, row) => Math.max(max, row.key), -1) + 1;
  return (
    <Card>
      <BlockStack gap="400">
        {rows.length === 0 && <Text as="p">{t("settings.overrides.empty")}</Text>}
        {rows.map((row, index) => (
          <InlineStack key={row.key} gap="200" blockAlign="start">
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
              <CarrierPicker
                label={t("settings.overrides.carrier")}
                value={row.carrier}
                onChange={(value) => change(index, "carrier", value)}
                error={error(index, "carrierCode")}
              />
            </div>
            {/* Level with the fields, below their labels. */}
            <div style={{ paddingBlockStart: "var(--p-space-800)" }}>
              <Button
                tone="critical"
                variant="plain"
                onClick={() => onChange(rows.filter((_, i) => i !== index))}
              >
                {t("settings.overrides.remove")}
              </Button>
            </div>
          </InlineStack>
        ))}
        <InlineStack gap="200" align="end">
          <Button
            onClick={() =>
              onChange([...rows, { key: nextKey, trackingCompany: "", country: "", carrier: null }])
            }
          >
            {t("settings.overrides.add")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
