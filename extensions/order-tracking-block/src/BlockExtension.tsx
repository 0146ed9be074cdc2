import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

// The order page's block: the order's parcels from TrackBridge. `fetch` to a path of the app
// carries the admin's session token, so the app's /api route knows (and scopes by) the shop.

export default async () => {
  render(<Extension />, document.body);
};

interface OrderTracking {
  id: string;
  trackingNumber: string;
  carrierName: string;
  status: string;
  statusLabel: string;
  syncState: string;
  syncStateLabel: string;
  lastEvent: string | null;
  appPath: string;
  /** The delivery estimate in the admin's words, or null (delivered, or not estimated yet). */
  estimateLabel: string | null;
  estimate: { state: "expected" | "late" } | null;
}

type LoadState = { kind: "loading" } | { kind: "failed" } | { kind: "loaded"; trackings: OrderTracking[] };

type BadgeTone = "success" | "info" | "warning" | "critical" | "neutral";

const STATUS_TONES: Record<string, BadgeTone> = {
  delivered: "success",
  transit: "info",
  pickup: "info",
  undelivered: "warning",
  exception: "critical",
  expired: "warning",
};

const SYNC_TONES: Record<string, BadgeTone> = {
  synced: "success",
  pending: "info",
  pending_update: "info",
  pending_delete: "info",
  needs_carrier: "warning",
  waiting_api_key: "warning",
  quota_paused: "warning",
  needs_attention: "critical",
};

/** "gid://shopify/Order/123" → "123": the app's route takes the numeric id. */
function numericId(gid: string | undefined): string | null {
  const match = /(\d+)$/.exec(gid ?? "");
  return match ? match[1] : null;
}

function Extension() {
  const { i18n, data } = shopify;
  const orderId = numericId(data.selected[0]?.id);
  const [state, setState] = useState<LoadState>({ kind: "loading" });

  useEffect(() => {
    if (!orderId) {
      setState({ kind: "loaded", trackings: [] });
      return;
    }
    let cancelled = false;
    // The admin gives the extension no locale, but picks its locale file by the staff member's
    // language: `apiLocale` of that file asks the app for status words in the same language.
    fetch(`/api/orders/${orderId}/trackings?locale=${encodeURIComponent(i18n.translate("apiLocale"))}`)
      .then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = (await response.json()) as { trackings: OrderTracking[] };
        if (!cancelled) setState({ kind: "loaded", trackings: body.trackings });
      })
      .catch(() => {
        if (!cancelled) setState({ kind: "failed" });
      });
    return () => {
      cancelled = true;
    };
  }, [orderId, i18n]);

  return (
    <s-admin-block heading={i18n.translate("heading")}>
      {state.kind === "loading" && <s-spinner accessibilityLabel={i18n.translate("loading")} />}
      {state.kind === "failed" && <s-banner tone="critical">{i18n.translate("error")}</s-banner>}
      {state.kind === "loaded" && state.trackings.length === 0 && <s-text>{i18n.translate("empty")}</s-text>}
      {state.kind === "loaded" && state.trackings.length > 0 && (
        <s-stack direction="block" gap="base">
          {state.trackings.map((tracking, index) => (
            <s-stack key={tracking.id} direction="block" gap="small-200">
              {index > 0 && <s-divider />}
              <s-stack direction="inline" gap="small-200" alignItems="center">
                <s-text type="strong">{tracking.trackingNumber}</s-text>
                <s-text color="subdued">{tracking.carrierName}</s-text>
              </s-stack>
              <s-stack direction="inline" gap="small-200">
                <s-badge tone={STATUS_TONES[tracking.status] ?? "neutral"}>{tracking.statusLabel}</s-badge>
                <s-badge tone={SYNC_TONES[tracking.syncState] ?? "neutral"}>
                  {tracking.syncStateLabel}
                </s-badge>
              </s-stack>
              {tracking.estimateLabel && (
                <s-badge tone={tracking.estimate?.state === "late" ? "warning" : "info"}>
                  {tracking.estimateLabel}
                </s-badge>
              )}
              {tracking.lastEvent && <s-text color="subdued">{tracking.lastEvent}</s-text>}
              <s-link href={`app:${tracking.appPath}`}>{i18n.translate("open")}</s-link>
            </s-stack>
          ))}
        </s-stack>
      )}
    </s-admin-block>
  );
}
