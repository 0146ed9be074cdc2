import { BlockStack, Card, Checkbox, Select, TextField } from "@shopify/polaris";
import { useTranslation } from "~/i18n";
import type { BehaviourValues } from "./settings-values";

interface Props {
  values: BehaviourValues;
  onChange: (values: BehaviourValues) => void;
  errorText: (field: string) => string | undefined;
}

/** How TrackBridge turns fulfillments into trackings. */
export function BehaviourCard({ values, onChange, errorText }: Props) {
  const { t } = useTranslation();
  const set =
    <K extends keyof BehaviourValues>(field: K) =>
    (value: BehaviourValues[K]) =>
      onChange({ ...values, [field]: value });
  return (
    <Card>
      <BlockStack gap="400">
        <Checkbox
          label={t("settings.behaviour.createOnFulfillment")}
          checked={values.createOnFulfillment}
          onChange={set("createOnFulfillment")}
        />
        <Select
          label={t("settings.behaviour.orderIdFormat")}
          options={[
            { label: t("settings.behaviour.orderIdFormat.name"), value: "name" },
            { label: t("settings.behaviour.orderIdFormat.id"), value: "id" },
          ]}
          value={values.orderIdFormat}
          onChange={set("orderIdFormat")}
          error={errorText("orderIdFormat")}
        />
        <TextField
          label={t("settings.behaviour.titleTemplate")}
          autoComplete="off"
          value={values.titleTemplate}
          onChange={set("titleTemplate")}
          helpText={t("settings.behaviour.titleTemplateHelp", {
            firstItem: "{{first_item}}",
            moreItems: "{{more_items}}",
          })}
          error={errorText("titleTemplate")}
        />
        <Select
          label={t("settings.behaviour.cancelled")}
          options={["archive", "delete", "keep"].map((value) => ({
            label: t(`settings.behaviour.cancelled.${value as "archive" | "delete" | "keep"}`),
            value,
          }))}
          value={values.cancelledFulfillmentAction}
          onChange={set("cancelledFulfillmentAction")}
          error={errorText("cancelledFulfillmentAction")}
        />
        <TextField
          label={t("settings.behaviour.stalledAfterDays")}
          type="number"
          min={1}
          max={90}
          autoComplete="off"
          value={values.stalledAfterDays}
          onChange={set("stalledAfterDays")}
          helpText={t("settings.behaviour.stalledAfterDaysHelp")}
          error={errorText("stalledAfterDays")}
        />
        <Checkbox
          label={t("settings.behaviour.trackingUrl")}
          helpText={t("settings.behaviour.trackingUrlHelp")}
          checked={values.trackingUrlInNotifications}
          onChange={set("trackingUrlInNotifications")}
        />
      </BlockStack>
    </Card>
  );
}
