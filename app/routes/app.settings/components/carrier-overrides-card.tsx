import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation, type MessageKey } from "~/i18n";

type Row = { trackingCompany: string; country: string; carrierCode: string };

interface Props {
  overrides: Row[];
  busy: boolean;
  fieldErrors: Record<string, string>;
  onSubmit: (values: Record<string, string>) => void;
}

/** The shop's own "Shopify tracking company → TrackingMore carrier" table, edited as a whole. */
export function CarrierOverridesCard({ overrides, busy, fieldErrors, onSubmit }: Props) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<Row[]>(() =>
    overrides.map(({ trackingCompany, country, carrierCode }) => ({ trackingCompany, country, carrierCode })),
  );
  const change = (index: number, field: keyof Row, value: string) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, [field]: value } : row)));
  const error = (index: number, field: keyof Row) => {
    const code = fieldErrors[`overrides.${index}.${field}`];
    return code ? t(`errors.${code}` as MessageKey) : undefined;
  };
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("settings.overrides.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("settings.overrides.help")} {t("settings.overrides.countryHelp")}
        </Text>
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
          <Button
            variant="primary"
            loading={busy}
            onClick={() => onSubmit({ intent: "overrides", overrides: JSON.stringify(rows) })}
          >
            {t("common.save")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
