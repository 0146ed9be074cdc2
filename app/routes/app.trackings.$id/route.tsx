import { readBoundedFormData } from "~/lib/body-limit.server";
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Box, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { EstimateDetail } from "~/components/delivery-estimate";
import {
  airCargoView,
  lookUpAirWaybill,
  withStationTimeLabels,
} from "~/models/delivery-promise/air-cargo.server";
import { AirCargoCard } from "./components/air-cargo-card";
import { answerModelErrors } from "~/lib/admin-route.server";
import { NotFoundError } from "~/lib/errors.server";
import { pushTrackingChanges } from "~/pipeline/change-push/push-changes.server";
import { adminFormatters } from "~/models/admin/formatting.server";
import { getTrackingDetail, refreshTrackingNow } from "~/models/admin/tracking-detail.server";
import { carrierSwitchesOf } from "~/pipeline/carriers/self-correct.server";
import { retryDeadLetters } from "~/pipeline/queue/dead-letters.server";
import {
  queueTrackingChanges,
  queueTrackingDeletion,
  type TrackingChanges,
} from "~/pipeline/change-push/tracking-changes.server";
import { useTranslation, type MessageKey } from "~/i18n";
import { problemMessageKey } from "~/models/admin/problems";
import { createFormatters } from "~/i18n/format";
import { authenticate } from "~/shopify.server";
import { StatusBadge, SyncBadge } from "../app.trackings._index/components/badges";
import { CarrierSwitchesCard } from "./components/carrier-switches-card";
import { CheckpointTimeline } from "./components/checkpoint-timeline";
import { EDITABLE_TEXT_FIELDS } from "~/models/tracking-fields";
import { StatusSummary } from "./components/status-summary";
import { TrackingForm } from "./components/tracking-form";
import { DeleteSection } from "./components/delete-section";
import {
  MANUAL_STATUS_CODE,
  StatusConfirmModal,
  type ManualStatusChoice,
} from "./components/status-confirm-modal";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    const [tracking, format] = await Promise.all([
      getTrackingDetail(session.shop, params.id ?? ""),
      adminFormatters(request, session.shop),
    ]);
    const [carrierSwitches, airCargo] = await Promise.all([
      carrierSwitchesOf(session.shop, tracking.id),
      airCargoView(session.shop, tracking.id),
    ]);
    const { latest } = tracking;
    return json({
      tracking: {
        ...tracking,
        checkpoints: tracking.checkpoints.map((c) => ({ ...c, timeLabel: format.dateTime(c.time) })),
      },
      // Each switch's carriers by name and its date, the merchant's way.
      carrierSwitches: carrierSwitches.map((s) => ({
        fromName: format.carrier(s.fromCarrier),
        toName: format.carrier(s.toCarrier),
        reason: s.reason,
        dateLabel: format.date(s.at),
      })),
      airCargo: withStationTimeLabels(airCargo, createFormatters(format.locale, "UTC").dateTime),
      carrierLabel: tracking.carrierCode ? format.carrier(tracking.carrierCode) : "",
      // The carrier the form shows: one waiting to reach TrackingMore, else the current one.
      carrierChoice: carrierChoice(
        tracking.pendingChanges.carrierCode ?? tracking.carrierCode,
        format.carrier,
      ),
      summary: {
        status: tracking.status,
        substatus: tracking.substatus,
        latest: latest && {
          description: latest.description,
          location: latest.location,
          // The carrier's own local time when it gave no instant.
          timeLabel: latest.time ? format.dateTime(latest.time) : (latest.carrierTime ?? ""),
        },
        daysInTransit: tracking.daysInTransit,
        estimatedDeliveryLabel: tracking.estimatedDeliveryAt
          ? format.date(tracking.estimatedDeliveryAt)
          : null,
      },
    });
  } catch (error) {
    if (error instanceof NotFoundError) throw new Response("Not found", { status: 404 });
    throw error;
  }
};

function carrierChoice(code: string, name: (code: string) => string) {
  return code ? { code, name: name(code) } : null;
}

type ActionData =
  | {
      ok: true;
      intent: string;
      refresh?: string;
      pushed?: { synced: number; waiting: number; failed: number };
    }
  | { ok: false; fieldErrors: Record<string, string> };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const id = params.id ?? "";
  const form = await readBoundedFormData(request);
  const intent = String(form.get("intent") ?? "");
  return answerModelErrors(async () => {
    // Every intent first proves the tracking is this shop's: another shop's id is a 404.
    await getTrackingDetail(shop, id);
    // Leased while queued, so this request, not the background job, sends it and shows the answer.
    const leaseFor = `admin-${randomUUID()}`;
    if (intent === "delete") {
      await queueTrackingDeletion(shop, [id], { leaseFor });
      await pushTrackingChanges({ shop, trackingIds: [id], leaseOwner: leaseFor });
      return redirect("/app/trackings");
    }
    if (intent === "retry") {
      await retryDeadLetters(shop, { ids: [id] });
      return json<ActionData>({ ok: true, intent });
    }
    if (intent === "airCargo") {
      await lookUpAirWaybill(shop, id);
      return json<ActionData>({ ok: true, intent });
    }
    if (intent === "refresh") {
      return json<ActionData>({ ok: true, intent, refresh: await refreshTrackingNow(shop, id) });
    }
    const changes = changesFromForm(intent, form);
    await queueTrackingChanges(shop, [id], changes, { leaseFor });
    const pushed = await pushTrackingChanges({ shop, trackingIds: [id], leaseOwner: leaseFor });
    return json<ActionData>({
      ok: true,
      intent,
      pushed: { synced: pushed.synced, waiting: pushed.waiting, failed: pushed.failed.length },
    });
  });
};

function changesFromForm(intent: string, form: FormData): TrackingChanges {
  switch (intent) {
    case "save": {
      const changes: Record<string, string> = {};
      for (const field of EDITABLE_TEXT_FIELDS) {
        const value = form.get(field);
        if (typeof value === "string") changes[field] = value;
      }
      return changes as TrackingChanges;
    }
    case "archive":
      return { archived: form.get("archived") === "true" };
    case "status":
      return { manualStatus: Number(form.get("manualStatus")) as 4 | 7 | 8 };
    case "carrier":
      return { carrierCode: String(form.get("carrierCode") ?? "") };
    default:
      return {};
  }
}

export default function TrackingDetailPage() {
  const { tracking, summary, carrierLabel, carrierChoice, carrierSwitches, airCargo } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const { t } = useTranslation();
  const [confirmStatus, setConfirmStatus] = useState<ManualStatusChoice | null>(null);
  const [editing, setEditing] = useState(false);
  // A refused edit keeps the fields open, with the error next to the field.
  useEffect(() => {
    if (actionData && !actionData.ok) setEditing(true);
    setConfirmStatus(null);
  }, [actionData]);
  const busy = navigation.state === "submitting";
  const send = (values: Record<string, string>) => submit(values, { method: "post" });
  const fieldErrors = actionData && !actionData.ok ? actionData.fieldErrors : {};
  const waitsForTrackingMore = ["pending_update", "pending_delete"].includes(tracking.syncState);

  return (
    <Page
      backAction={{ content: t("trackings.title"), url: "/app/trackings" }}
      title={tracking.trackingNumber}
      titleMetadata={
        <InlineStack gap="200">
          <StatusBadge status={tracking.status} />
          <SyncBadge syncState={tracking.syncState} />
        </InlineStack>
      }
      subtitle={carrierLabel || t("trackings.noCarrier")}
      primaryAction={{
        content: t("detail.refresh"),
        disabled: !tracking.atTrackingMore || busy,
        onAction: () => send({ intent: "refresh" }),
      }}
      secondaryActions={[
        {
          content: tracking.archived ? t("bulk.unarchive") : t("bulk.archive"),
          onAction: () => send({ intent: "archive", archived: String(!tracking.archived) }),
        },
        // Both reach Shopify and maybe the customer: confirmed first (StatusConfirmModal).
        { content: t("bulk.markDelivered"), onAction: () => setConfirmStatus("delivered") },
        { content: t("bulk.markException"), onAction: () => setConfirmStatus("exception") },
        { content: t("bulk.restoreStatus"), onAction: () => send({ intent: "status", manualStatus: "8" }) },
      ]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {tracking.syncState === "needs_attention" && (
              <Banner
                tone="critical"
                title={t("detail.deadLetter.title")}
                action={{ content: t("detail.deadLetter.retry"), onAction: () => send({ intent: "retry" }) }}
              >
                {tracking.problem && t(problemMessageKey(tracking.problem))}
              </Banner>
            )}
            {actionData?.ok && actionData.refresh && (
              <Banner tone={actionData.refresh === "refreshed" ? "success" : "warning"}>
                {t(`detail.refreshOutcome.${actionData.refresh}` as MessageKey)}
              </Banner>
            )}
            {actionData?.ok && actionData.pushed && (
              // Saved but not sent (TrackingMore unreachable) is a warning, never a success.
              <Banner
                tone={
                  actionData.pushed.failed > 0 || actionData.pushed.waiting > 0 || waitsForTrackingMore
                    ? "warning"
                    : "success"
                }
              >
                {actionData.pushed.failed > 0
                  ? t("detail.savedRefused")
                  : actionData.pushed.waiting > 0 || waitsForTrackingMore
                    ? t("detail.savedWaiting")
                    : t("detail.saved")}
              </Banner>
            )}
            <StatusSummary summary={summary} />
            {airCargo.eligible && (
              <AirCargoCard
                airCargo={airCargo}
                busy={busy}
                error={fieldErrors.airCargo ? t(`errors.${fieldErrors.airCargo}` as MessageKey) : undefined}
                onLookUp={() => send({ intent: "airCargo" })}
              />
            )}
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("detail.timeline")}
                </Text>
                <CheckpointTimeline checkpoints={tracking.checkpoints} />
              </BlockStack>
            </Card>
            <TrackingForm
              tracking={tracking}
              carrier={carrierChoice}
              fieldErrors={fieldErrors}
              busy={busy}
              onSubmit={send}
              editing={editing}
              onEditingChange={setEditing}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {tracking.remoteArea && (
              <Banner tone="info" title={t("remote.title")}>
                {t("remote.detail")}
              </Banner>
            )}
            {["transit", "pickup", "undelivered", "exception"].includes(tracking.status) && (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("estimate.title")}
                  </Text>
                  {tracking.estimate ? (
                    <EstimateDetail estimate={tracking.estimate} />
                  ) : (
                    <Text as="p" tone="subdued">
                      {t("estimate.none")}
                    </Text>
                  )}
                </BlockStack>
              </Card>
            )}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("detail.sync")}
                </Text>
                <SyncBadge syncState={tracking.syncState} />
                <Text as="p">{t(`syncExplain.${tracking.syncState}` as MessageKey)}</Text>
                {tracking.problem && (
                  <Box>
                    <Text as="p" tone="subdued">
                      {t("detail.lastError", { error: t(problemMessageKey(tracking.problem)) })}
                    </Text>
                  </Box>
                )}
              </BlockStack>
            </Card>
            <CarrierSwitchesCard
              carrierName={carrierLabel || null}
              carrierSource={tracking.carrierSource}
              trackingCompany={tracking.trackingCompany}
              switches={carrierSwitches}
            />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("detail.order")}
                </Text>
                <a href={`shopify://admin/orders/${tracking.orderId}`} target="_top">
                  {t("detail.openOrder", { order: tracking.orderName ?? tracking.orderId })}
                </a>
                {summary.latest && (
                  <BlockStack gap="050">
                    <Text as="p">{summary.latest.description}</Text>
                    <Text as="p" variant="bodySm" tone="subdued">
                      {[summary.latest.location, summary.latest.timeLabel].filter(Boolean).join(" · ")}
                    </Text>
                  </BlockStack>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="fullWidth">
          <DeleteSection
            trackingNumber={tracking.trackingNumber}
            busy={busy}
            onDelete={() => send({ intent: "delete" })}
          />
        </Layout.Section>
      </Layout>
      <StatusConfirmModal
        choice={confirmStatus}
        writeBack={tracking.statusWriteBack}
        trackingNumber={tracking.trackingNumber}
        busy={busy}
        onConfirm={(choice) => send({ intent: "status", manualStatus: MANUAL_STATUS_CODE[choice] })}
        onClose={() => setConfirmStatus(null)}
      />
    </Page>
  );
}
