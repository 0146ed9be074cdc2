import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, List, Modal, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { CarrierPicker, type CarrierChoice } from "~/components/carrier-picker";
import { useTranslation, type MessageKey } from "~/i18n";
import { problemMessageKey, type ProblemKind } from "~/models/admin/problems";

type BulkAction =
  "archive" | "unarchive" | "markDelivered" | "markException" | "restoreStatus" | "changeCarrier" | "delete";

interface BulkResponse {
  ok: boolean;
  result?: {
    action: BulkAction;
    applied: number;
    synced: number;
    waiting: number;
    failures: { id: string; trackingNumber: string; problem: ProblemKind }[];
  };
  fieldErrors?: Record<string, string>;
}

declare global {
  interface Window {
    shopify?: { toast?: { show(message: string, options?: { isError?: boolean }): void } };
  }
}

/** Manual statuses reach Shopify (and maybe the customer) unless the shop turned write-back off. */
const STATUS_ACTIONS: readonly BulkAction[] = ["markDelivered", "markException"];

/** The list's bulk actions: each asks for confirmation, then posts to the list's action. */
export function useBulkActions(selected: string[], clearSelection: () => void, writeBackEnabled: boolean) {
  const { t } = useTranslation();
  const fetcher = useFetcher<BulkResponse>();
  const [pending, setPending] = useState<BulkAction | null>(null);
  const [carrier, setCarrier] = useState<CarrierChoice | null>(null);
  const [ids, setIds] = useState<string[]>([]);

  const ask = (action: BulkAction) => () => {
    setIds(selected);
    setCarrier(null);
    setPending(action);
  };
  const confirm = () => {
    if (!pending) return;
    const form = new FormData();
    form.set("bulkAction", pending);
    form.set("ids", JSON.stringify(ids));
    if (pending === "changeCarrier") form.set("carrierCode", carrier?.code ?? "");
    fetcher.submit(form, { method: "post" });
  };

  const response = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!response?.ok || !response.result) return;
    setPending(null);
    clearSelection();
    const { result } = response;
    const message = t("bulk.toast", { count: result.applied });
    if (typeof window !== "undefined")
      window.shopify?.toast?.show(message, { isError: result.failures.length > 0 });
    // clearSelection changes identity with the rows; the response is what we react to.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [response]);

  const label = (action: BulkAction) => t(`bulk.${action}` as MessageKey);
  return {
    t,
    pending,
    setPending,
    carrier,
    setCarrier,
    count: ids.length,
    writeBackEnabled,
    confirm,
    submitting: fetcher.state !== "idle",
    response: fetcher.data,
    label,
    promoted: [
      { content: label("archive"), onAction: ask("archive") },
      { content: label("markDelivered"), onAction: ask("markDelivered") },
    ],
    more: [
      { content: label("unarchive"), onAction: ask("unarchive") },
      { content: label("markException"), onAction: ask("markException") },
      { content: label("restoreStatus"), onAction: ask("restoreStatus") },
      { content: label("changeCarrier"), onAction: ask("changeCarrier") },
      { content: label("delete"), onAction: ask("delete"), destructive: true },
    ],
  };
}

export function BulkActionsBar({ bulk }: { bulk: ReturnType<typeof useBulkActions> }) {
  const { t, pending, response } = bulk;
  const result = response?.ok ? response.result : undefined;
  const fieldError = response && !response.ok ? Object.values(response.fieldErrors ?? {})[0] : undefined;
  return (
    <>
      {result && (
        <div style={{ marginBottom: "var(--p-space-400)" }}>
          <Banner
            // Waiting for TrackingMore (unreachable) is a warning too, never a success.
            tone={result.failures.length > 0 || result.waiting > 0 ? "warning" : "success"}
            title={t("bulk.resultTitle", { action: bulk.label(result.action), count: result.applied })}
          >
            <BlockStack gap="200">
              <Text as="p">{t("bulk.resultSynced", { count: result.synced })}</Text>
              {result.waiting > 0 && <Text as="p">{t("bulk.resultWaiting", { count: result.waiting })}</Text>}
              {result.failures.length > 0 && (
                <>
                  <Text as="p">{t("bulk.resultFailed", { count: result.failures.length })}</Text>
                  <List>
                    {result.failures.map((f) => (
                      <List.Item key={f.id}>
                        {f.trackingNumber}: {t(problemMessageKey(f.problem))}
                      </List.Item>
                    ))}
                  </List>
                </>
              )}
            </BlockStack>
          </Banner>
        </div>
      )}
      <Modal
        open={pending !== null}
        onClose={() => bulk.setPending(null)}
        title={pending ? t("bulk.confirmTitle", { action: bulk.label(pending), count: bulk.count }) : ""}
        primaryAction={{
          content: pending ? bulk.label(pending) : "",
          destructive: pending === "delete",
          loading: bulk.submitting,
          onAction: bulk.confirm,
        }}
        secondaryActions={[{ content: t("common.cancel"), onAction: () => bulk.setPending(null) }]}
      >
        <Modal.Section>
          <BlockStack gap="300">
            <Text as="p">
              {pending ? t(confirmBodyKey(pending, bulk.writeBackEnabled), { count: bulk.count }) : ""}
            </Text>
            {pending && STATUS_ACTIONS.includes(pending) && !bulk.writeBackEnabled && (
              <Text as="p">{t("bulk.confirmWriteBackOff", { count: bulk.count })}</Text>
            )}
            {pending === "changeCarrier" && (
              <CarrierPicker
                label={t("bulk.carrierCode")}
                value={bulk.carrier}
                onChange={bulk.setCarrier}
                error={fieldError ? t(`errors.${fieldError}` as MessageKey) : undefined}
              />
            )}
            {fieldError && pending !== "changeCarrier" && (
              <Banner tone="critical">{t(`errors.${fieldError}` as MessageKey)}</Banner>
            )}
          </BlockStack>
        </Modal.Section>
      </Modal>
    </>
  );
}

/** A manual status says whether Shopify (and the customer) hears of it. */
function confirmBodyKey(action: BulkAction, writeBackEnabled: boolean): MessageKey {
  if (STATUS_ACTIONS.includes(action) && !writeBackEnabled)
    return `bulk.confirmLocal.${action}` as MessageKey;
  return `bulk.confirmBody.${action}` as MessageKey;
}
