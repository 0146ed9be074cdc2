import { BlockStack, Button, Card, Checkbox, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "~/i18n";

interface Props {
  settings: {
    createOnFulfillment: boolean;
    orderIdFormat: string;
    titleTemplate: string;
    stalledAfterDays: number;
    cancelledFulfillmentAction: string;
    trackingUrlInNotifications: boolean;
  };
  busy: boolean;
  errorText: (field: string) => string | undefined;
  onSubmit: (values: Record<string, string>) => void;
}

/** How TrackBridge turns fulfillments into trackings. */
export function BehaviourCard({ settings, busy, errorText, onSubmit }: Props) {
  const { t } = useTranslation();
  const [createOnFulfillment, setCreate] = useState(settings.createOnFulfillment);
  const [orderIdFormat, setOrderIdFormat] = useState(settings.orderIdFormat);
  const [titleTemplate, setTitleTemplate] = useState(settings.titleTemplate);
  const [cancelled, setCancelled] = useState(settings.cancelledFulfillmentAction);
  const [stalledAfterDays, setStalledAfterDays] = useState(String(settings.stalledAfterDays));
  const [trackingUrl, setTrackingUrl] = useState(settings.trackingUrlInNotifications);
  return (
    <Card>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit({
            intent: "behaviour",
            createOnFulfillment: String(createOnFulfillment),
            orderIdFormat,
            titleTemplate,
            cancelledFulfillmentAction: cancelled,
            stalledAfterDays,
            trackingUrlInNotifications: String(trackingUrl),
          });
        }}
      >
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {t("settings.behaviour.title")}
          </Text>
          <Checkbox
            label={t("settings.behaviour.createOnFulfillment")}
            checked={createOnFulfillment}
            onChange={setCreate}
          />
          <Select
            label={t("settings.behaviour.orderIdFormat")}
            options={[
              { label: t("settings.behaviour.orderIdFormat.name"), value: "name" },
              { label: t("settings.behaviour.orderIdFormat.id"), value: "id" },
            ]}
            value={orderIdFormat}
            onChange={setOrderIdFormat}
            error={errorText("orderIdFormat")}
          />
          <TextField
            label={t("settings.behaviour.titleTemplate")}
            autoComplete="off"
            value={titleTemplate}
            onChange={setTitleTemplate}
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
            value={cancelled}
            onChange={setCancelled}
            error={errorText("cancelledFulfillmentAction")}
          />
          <TextField
            label={t("settings.behaviour.stalledAfterDays")}
            type="number"
            min={1}
            max={90}
            autoComplete="off"
            value={stalledAfterDays}
            onChange={setStalledAfterDays}
            helpText={t("settings.behaviour.stalledAfterDaysHelp")}
            error={errorText("stalledAfterDays")}
          />
          <Checkbox
            label={t("settings.behaviour.trackingUrl")}
            helpText={t("settings.behaviour.trackingUrlHelp")}
            checked={trackingUrl}
            onChange={setTrackingUrl}
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
