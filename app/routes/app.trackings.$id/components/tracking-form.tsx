import { BlockStack, Button, Card, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { CarrierPicker, type CarrierChoice } from "~/components/carrier-picker";
import { useTranslation, type MessageKey } from "~/i18n";
import { EDITABLE_TEXT_FIELDS, type EditableTextField } from "~/models/tracking-fields";

type Field = EditableTextField;

type Values = Record<Field, string>;

function valuesOf(tracking: Record<Field, string | null>): Values {
  return Object.fromEntries(EDITABLE_TEXT_FIELDS.map((f) => [f, tracking[f] ?? ""])) as Values;
}

/** The fields TrackingMore keeps for the parcel, and its carrier. */
export function TrackingForm({
  tracking,
  carrier: savedCarrier,
  fieldErrors,
  busy,
  onSubmit,
  editing,
  onEditingChange,
}: {
  tracking: Record<Field, string | null> & {
    id: string;
    carrierCode: string;
  };
  /** The parcel's carrier (or the one waiting to reach TrackingMore), by name and code. */
  carrier: CarrierChoice | null;
  fieldErrors: Record<string, string>;
  busy: boolean;
  onSubmit: (values: Record<string, string>) => void;
  /** The fields stay folded behind "Edit" until the merchant asks for them. */
  editing: boolean;
  onEditingChange: (editing: boolean) => void;
}) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Values>(() => valuesOf(tracking));
  const [carrier, setCarrier] = useState<CarrierChoice | null>(savedCarrier);
  useEffect(() => setCarrier(savedCarrier), [savedCarrier]);
  // After a save the loader's values are the truth again (trimmed, upper-cased country).
  useEffect(() => setValues(valuesOf(tracking)), [tracking]);
  const dirty = EDITABLE_TEXT_FIELDS.some((f) => values[f] !== (tracking[f] ?? ""));
  const error = (field: string) =>
    fieldErrors[field] ? t(`errors.${fieldErrors[field]}` as MessageKey) : undefined;
  const field = (name: Field, type: "text" | "email" | "tel" = "text") => (
    <TextField
      label={t(`detail.field.${name}` as MessageKey)}
      name={name}
      type={type}
      autoComplete="off"
      value={values[name]}
      onChange={(value) => setValues((v) => ({ ...v, [name]: value }))}
      error={error(name)}
    />
  );

  return (
    <Card>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit({ intent: "save", ...values });
        }}
      >
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {t("detail.details")}
            </Text>
            <Button variant="plain" onClick={() => onEditingChange(!editing)} ariaExpanded={editing}>
              {editing ? t("detail.closeEdit") : t("detail.edit")}
            </Button>
          </InlineStack>
          {!editing && (
            <Text as="p" tone="subdued">
              {[tracking.title, tracking.customerName, tracking.customerEmail].filter(Boolean).join(" · ")}
            </Text>
          )}
          {editing && (
            <>
              <FormLayout>
                {field("title")}
                <FormLayout.Group>
                  {field("tmOrderId")}
                  {field("logisticsChannel")}
                </FormLayout.Group>
                <FormLayout.Group>
                  {field("customerName")}
                  {field("customerEmail", "email")}
                </FormLayout.Group>
                <FormLayout.Group>
                  {field("customerPhone", "tel")}
                  {field("destinationCode")}
                </FormLayout.Group>
              </FormLayout>
              <InlineStack align="end">
                <Button submit variant="primary" disabled={!dirty} loading={busy}>
                  {t("common.save")}
                </Button>
              </InlineStack>
              <CarrierPicker
                label={t("detail.field.carrierCode")}
                value={carrier}
                onChange={setCarrier}
                error={error("carrierCode")}
              />
              <InlineStack align="end">
                <Button
                  disabled={!carrier || carrier.code === tracking.carrierCode || busy}
                  onClick={() => carrier && onSubmit({ intent: "carrier", carrierCode: carrier.code })}
                >
                  {t("bulk.changeCarrier")}
                </Button>
              </InlineStack>
            </>
          )}
        </BlockStack>
      </form>
    </Card>
  );
}
