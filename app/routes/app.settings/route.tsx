import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { useState } from "react";
import { answerModelErrors } from "~/lib/admin-route.server";
import { readBoundedFormData } from "~/lib/body-limit.server";
import { trackingMoreWebhookUrl } from "~/models/admin/blocking-states.server";
import {
  listCarrierOverrides,
  saveSettingsForm,
  type SettingsFormInput,
} from "~/models/admin/settings-admin.server";
import { adminFormatters } from "~/models/admin/formatting.server";
import { carrierMappingReport } from "~/models/carriers/mapping-report.server";
import { airCargoEnabled } from "~/models/delivery-promise/air-cargo.server";
import { listCustomerDataReports } from "~/models/privacy.server";
import { getShopSettings } from "~/models/settings.server";
import {
  cancelBackfill,
  estimateBackfill,
  latestBackfill,
  startBackfill,
} from "~/pipeline/backfill/backfill.server";
import { useTranslation, type MessageKey } from "~/i18n";
import { authenticate } from "~/shopify.server";
import { BackfillCard } from "./components/backfill-card";
import { BehaviourCard } from "./components/behaviour-card";
import { CarrierMappingReportCard } from "./components/carrier-mapping-report-card";
import { CarrierOverridesCard } from "./components/carrier-overrides-card";
import { ConnectionCard } from "./components/connection-card";
import { DataRequestsCard } from "./components/data-requests-card";
import { DeliveryPromiseCard } from "./components/delivery-promise-card";
import { SettingsSaveBar } from "./components/save-bar";
import { changedSections, savedValues, type SettingsValues } from "./components/settings-values";
import { WriteBackCard } from "./components/write-back-card";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const format = await adminFormatters(request, session.shop);
  const [settings, overrides, backfill, mappingReport, dataRequests, airCargo] = await Promise.all([
    getShopSettings(session.shop),
    listCarrierOverrides(session.shop, format.carrier),
    latestBackfill(session.shop),
    carrierMappingReport(session.shop, format.carrier),
    listCustomerDataReports(session.shop),
    airCargoEnabled(session.shop),
  ]);
  // getShopSettings holds no secret: only whether a key is set and its last four characters.
  return json({
    settings,
    overrides,
    backfill,
    mappingReport,
    // Dated on the server, in the shop's time zone: the browser's would not hydrate.
    dataRequests: dataRequests.map((report) => ({ ...report, dateLabel: format.date(report.createdAt) })),
    airCargoEnabled: airCargo,
    webhookUrl: trackingMoreWebhookUrl(),
  });
};

export type SettingsActionData =
  | { ok: true; intent: string; remainingQuota?: number; savedAt?: string }
  | { ok: false; fieldErrors: Record<string, string> };

/** The form's changed sections, sent as one JSON field; anything else than an object is empty. */
function parseSettingsForm(raw: string): SettingsFormInput {
  try {
    const value = JSON.parse(raw) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    const input = value as Record<string, unknown>;
    const text = (field: string) => (typeof input[field] === "string" ? (input[field] as string) : undefined);
    const flag = (field: string) =>
      typeof input[field] === "boolean" ? (input[field] as boolean) : undefined;
    const behaviour = input.behaviour as Record<string, unknown> | undefined;
    return {
      apiKey: text("apiKey"),
      accountEmail: text("accountEmail"),
      writeBackEnabled: flag("writeBackEnabled"),
      airCargoEnabled: flag("airCargoEnabled"),
      behaviour:
        behaviour && typeof behaviour === "object"
          ? {
              createOnFulfillment: behaviour.createOnFulfillment === true,
              orderIdFormat: String(behaviour.orderIdFormat ?? ""),
              titleTemplate: String(behaviour.titleTemplate ?? ""),
              cancelledFulfillmentAction: String(behaviour.cancelledFulfillmentAction ?? ""),
              ...(behaviour.stalledAfterDays === undefined
                ? {}
                : { stalledAfterDays: String(behaviour.stalledAfterDays) }),
              trackingUrlInNotifications: behaviour.trackingUrlInNotifications === true,
            }
          : undefined,
      overrides: Array.isArray(input.overrides)
        ? (input.overrides as SettingsFormInput["overrides"])
        : undefined,
    };
  } catch {
    return {};
  }
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const shop = session.shop;
  const form = await readBoundedFormData(request);
  const intent = String(form.get("intent") ?? "");
  return answerModelErrors(async () => {
    switch (intent) {
      case "saveSettings": {
        const saved = await saveSettingsForm(shop, parseSettingsForm(String(form.get("settings") ?? "{}")));
        return json<SettingsActionData>({ ok: true, intent, savedAt: new Date().toISOString(), ...saved });
      }
      case "estimateBackfill": {
        const estimate = await estimateBackfill(
          shop,
          admin,
          String(form.get("from")),
          String(form.get("to")),
        );
        return json({ ok: true as const, intent, estimate });
      }
      case "startBackfill":
        await startBackfill(
          shop,
          String(form.get("from")),
          String(form.get("to")),
          Number(form.get("ordersEstimated") ?? 0),
        );
        return json<SettingsActionData>({ ok: true, intent });
      case "cancelBackfill":
        await cancelBackfill(shop);
        return json<SettingsActionData>({ ok: true, intent });
      default:
        return json<SettingsActionData>({ ok: false, fieldErrors: { intent: "invalid" } }, { status: 400 });
    }
  });
};

export default function SettingsPage() {
  const actionData = useActionData<SettingsActionData>();
  const data = useLoaderData<typeof loader>();
  // After each save the form starts again from what is now saved (a new API key field is empty),
  // and again when the saved values change: Remix may hand over the action's answer before the
  // reloaded settings, and a form started from the old ones would count the save as unsaved.
  const saved = savedValues(data);
  return (
    <SettingsForm
      key={`${actionData?.ok && actionData.savedAt ? actionData.savedAt : "loaded"} ${JSON.stringify(saved)}`}
      saved={saved}
    />
  );
}

/** `saved`: the settings as saved, the values the form starts from. */
function SettingsForm({ saved }: { saved: SettingsValues }) {
  const data = useLoaderData<typeof loader>();
  const { settings, backfill, mappingReport, dataRequests, webhookUrl } = data;
  const actionData = useActionData<SettingsActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const { t } = useTranslation();
  const [values, setValues] = useState<SettingsValues>(saved);
  const changes = changedSections(saved, values);
  const dirty = Object.keys(changes).length > 0;
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "saveSettings";
  // Errors belong to the values they were given for: shown until the merchant saves again.
  const fieldErrors = actionData && !actionData.ok ? actionData.fieldErrors : {};
  const errorText = (field: string) =>
    fieldErrors[field] ? t(`errors.${fieldErrors[field]}` as MessageKey) : undefined;
  const set = <K extends keyof SettingsValues>(field: K, value: SettingsValues[K]) =>
    setValues((current) => ({ ...current, [field]: value }));
  const save = () =>
    submit({ intent: "saveSettings", settings: JSON.stringify(changes) }, { method: "post" });

  return (
    <Page title={t("settings.title")}>
      <SettingsSaveBar dirty={dirty} saving={saving} onSave={save} onDiscard={() => setValues(saved)} />
      <Layout>
        {actionData && (actionData.ok ? actionData.intent === "saveSettings" && !dirty : true) && (
          <Layout.Section>
            {actionData.ok ? (
              <Banner tone="success">
                {actionData.remainingQuota !== undefined
                  ? t("settings.apiKey.saved", { quota: actionData.remainingQuota })
                  : t("settings.saved")}
              </Banner>
            ) : (
              <Banner tone="critical">{t("settings.form.notSaved")}</Banner>
            )}
          </Layout.Section>
        )}
        <Layout.AnnotatedSection
          id="connection"
          title={t("settings.apiKey.title")}
          description={t("settings.connection.description")}
        >
          <ConnectionCard
            settings={settings}
            webhookUrl={webhookUrl}
            apiKey={values.apiKey}
            accountEmail={values.accountEmail}
            onChange={set}
            errorText={errorText}
          />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="behaviour"
          title={t("settings.behaviour.title")}
          description={t("settings.behaviour.description")}
        >
          <BehaviourCard
            values={values.behaviour}
            onChange={(behaviour) => set("behaviour", behaviour)}
            errorText={errorText}
          />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="write-back"
          title={t("settings.writeBack.title")}
          description={t("settings.writeBack.description")}
        >
          <WriteBackCard
            enabled={values.writeBackEnabled}
            onChange={(enabled) => set("writeBackEnabled", enabled)}
          />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="delivery-promises"
          title={t("settings.delivery.title")}
          description={t("settings.delivery.help")}
        >
          <DeliveryPromiseCard
            airCargoEnabled={values.airCargoEnabled}
            onChange={(enabled) => set("airCargoEnabled", enabled)}
          />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="carrier-overrides"
          title={t("settings.overrides.title")}
          description={`${t("settings.overrides.help")} ${t("settings.overrides.countryHelp")}`}
        >
          <CarrierOverridesCard
            rows={values.overrides}
            fieldErrors={fieldErrors}
            onChange={(rows) => set("overrides", rows)}
          />
        </Layout.AnnotatedSection>
        {/* Reports and jobs, not settings: outside the form and its save bar. */}
        <Layout.Section>
          <BlockStack gap="400">
            <CarrierMappingReportCard rows={mappingReport} />
            <BackfillCard job={backfill} />
            <DataRequestsCard reports={dataRequests} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
