import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useRef, useState } from "react";
import { CarrierPicker, type CarrierChoice } from "~/components/carrier-picker";
import { useTranslation, type MessageKey } from "~/i18n";

type Saved = { trackingCompany: string; country: string; carrierCode: string; carrierName: string };
/** `key` keeps each row's carrier search with its row when an earlier row is removed. */
type Row = { key: number; trackingCompany: string; country: string; carrier: CarrierChoice | null };

interface Props {
  overrides: Saved[];
  busy: boolean;
  fieldErrors: Record<string, string>;
  onSubmit: (values: Record<string, string>) => void;
}

/** The shop's own "Shopify tracking company → TrackingMore carrier" table, edited as a whole. */
export function CarrierOverridesCard({ overrides, busy, fieldErrors, onSubmit }: Props) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<Row[]>(() =>
    overrides.map(({ trackingCompany, country, carrierCode, carrierName }, key) => ({
      key,
      trackingCompany,
      country,
      carrier: { code: carrierCode, name: carrierName },
    })),
  );
  const nextKey = useRef(overrides.length);
  const change = <F extends "trackingCompany" | "country" | "carrier">(
    index: number,
    field: F,
    value: Row[F],
  ) => setRows((current) => current.map((row, i) => (i === index ? { ...row, [field]: value } : row)));
  const error = (index: number, field: "trackingCompany" | "country" | "carrierCode") => {
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
                onClick={() => setRows((current) => current.filter((_, i) => i !== index))}
              >
                {t("settings.overrides.remove")}
              </Button>
            </div>
          </InlineStack>
        ))}
        <InlineStack gap="200" align="end">
          <Button
            onClick={() =>
              setRows((current) => [
                ...current,
                { key: nextKey.current++, trackingCompany: "", country: "", carrier: null },
              ])
            }
          >
            {t("settings.overrides.add")}
          </Button>
          <Button
            variant="primary"
            loading={busy}
            onClick={() =>
              onSubmit({
                intent: "overrides",
                overrides: JSON.stringify(
                  rows.map(({ trackingCompany, country, carrier }) => ({
                    trackingCompany,
                    country,
                    carrierCode: carrier?.code ?? "",
                  })),
                ),
              })
            }
          >
            {t("common.save")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
