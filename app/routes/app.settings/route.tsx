import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { answerModelErrors } from "~/lib/admin-route.server";
import { readBoundedFormData } from "~/lib/body-limit.server";
import { estimateBackfill, latestBackfill, startBackfill } from "~/pipeline/backfill/backfill.server";
import {
  connectTrackingMore,
  listCarrierOverrides,
  saveAccountEmail,
  saveBehaviour,
  saveCarrierOverrides,
} from "~/models/admin/settings-admin.server";
import { adminFormatters } from "~/models/admin/formatting.server";
import { carrierMappingReport } from "~/models/carriers/mapping-report.server";
import { listCustomerDataReports } from "~/models/privacy.server";
import { getShopSettings } from "~/models/settings.server";
import { useTranslation, type MessageKey } from "~/i18n";
import { authenticate } from "~/shopify.server";
import { ApiKeyCard } from "./components/api-key-card";
import { BackfillCard } from "./components/backfill-card";
import { BehaviourCard } from "./components/behaviour-card";
import { CarrierMappingReportCard } from "./components/carrier-mapping-report-card";
import { CarrierOverridesCard } from "./components/carrier-overrides-card";
import { DataRequestsCard } from "./components/data-requests-card";
import { DeliveryPromiseCard } from "./components/delivery-promise-card";
import { airCargoEnabled, setAirCargoEnabled } from "~/models/delivery-promise/air-cargo.server";

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
  return json({ settings, overrides, backfill, mappingReport, dataRequests, airCargoEnabled: airCargo });
};

export type SettingsActionData =
  { ok: true; intent: string; remainingQuota?: number } | { ok: false; fieldErrors: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const shop = session.shop;
  const form = await readBoundedFormData(request);
  const intent = String(form.get("intent") ?? "");
  return answerModelErrors(async () => {
    switch (intent) {
      case "apiKey": {
        const { remainingQuota } = await connectTrackingMore(shop, String(form.get("apiKey") ?? ""));
        return json<SettingsActionData>({ ok: true, intent, remainingQuota });
      }
      case "accountEmail":
        await saveAccountEmail(shop, String(form.get("accountEmail") ?? ""));
        return json<SettingsActionData>({ ok: true, intent });
      case "behaviour":
        await saveBehaviour(shop, {
          createOnFulfillment: form.get("createOnFulfillment") === "true",
          orderIdFormat: String(form.get("orderIdFormat") ?? ""),
          titleTemplate: String(form.get("titleTemplate") ?? ""),
          cancelledFulfillmentAction: String(form.get("cancelledFulfillmentAction") ?? ""),
          ...(form.has("stalledAfterDays") ? { stalledAfterDays: String(form.get("stalledAfterDays")) } : {}),
          trackingUrlInNotifications: form.get("trackingUrlInNotifications") === "true",
        });
        return json<SettingsActionData>({ ok: true, intent });
      case "deliveryPromises":
        await setAirCargoEnabled(shop, form.get("airCargoEnabled") === "true");
        return json<SettingsActionData>({ ok: true, intent });
      case "overrides": {
        let rows: { trackingCompany: string; carrierCode: string; country?: string }[] = [];
        try {
          rows = JSON.parse(String(form.get("overrides") ?? "[]")) as typeof rows;
        } catch {
          rows = [];
        }
        await saveCarrierOverrides(shop, Array.isArray(rows) ? rows : []);
        return json<SettingsActionData>({ ok: true, intent });
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
      default:
        return json<SettingsActionData>({ ok: false, fieldErrors: { intent: "invalid" } }, { status: 400 });
    }
  });
};

export default function SettingsPage() {
  const { settings, overrides, backfill, mappingReport, dataRequests, airCargoEnabled } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<SettingsActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const { t } = useTranslation();
  const busyIntent =
    navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const fieldErrors = actionData && !actionData.ok ? actionData.fieldErrors : {};
  const errorText = (field: string) =>
    fieldErrors[field] ? t(`errors.${fieldErrors[field]}` as MessageKey) : undefined;
  const send = (values: Record<string, string>) => submit(values, { method: "post" });

  return (
    <Page title={t("settings.title")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {actionData?.ok &&
              actionData.intent !== "startBackfill" &&
              actionData.intent !== "estimateBackfill" && (
                <Banner tone="success">
                  {actionData.intent === "apiKey"
                    ? t("settings.apiKey.saved", { quota: actionData.remainingQuota ?? 0 })
                    : t("settings.saved")}
                </Banner>
              )}
            <ApiKeyCard settings={settings} busyIntent={busyIntent} errorText={errorText} onSubmit={send} />
            <BehaviourCard
              settings={settings}
              busy={busyIntent === "behaviour"}
              errorText={errorText}
              onSubmit={send}
            />
            <DeliveryPromiseCard
              airCargoEnabled={airCargoEnabled}
              busy={busyIntent === "deliveryPromises"}
              onSubmit={send}
            />
            <CarrierOverridesCard
              overrides={overrides}
              busy={busyIntent === "overrides"}
              fieldErrors={fieldErrors}
              onSubmit={send}
            />
            <CarrierMappingReportCard rows={mappingReport} />
            <BackfillCard job={backfill} />
            <DataRequestsCard reports={dataRequests} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
