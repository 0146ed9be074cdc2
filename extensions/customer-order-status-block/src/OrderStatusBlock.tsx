import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { APP_URL } from "./app-url";

// The order status page's block: the order's parcels from TrackBridge, fetched with the
// extension's session token (it names the shop and the customer; the app answers only the
// order's own customer).

export default async () => {
  render(<Extension />, document.body);
};

interface Parcel {
  trackingNumber: string;
  carrierName: string;
  status: string;
  statusLabel: string;
  lastEvent: string | null;
  lastEventAt: string | null;
  estimatedDeliveryAt: string | null;
}

type LoadState = { kind: "loading" } | { kind: "failed" } | { kind: "loaded"; parcels: Parcel[] };

type BadgeTone = "auto" | "neutral" | "critical";

const TONES: Record<string, BadgeTone> = {
  exception: "critical",
  undelivered: "critical",
  expired: "critical",
};

function Extension() {
  const { i18n, order, localization, sessionToken } = shopify;
  const orderId = /(\d+)$/.exec(order.value?.id ?? "")?.[1] ?? null;
  const language = localization.language.value.isoCode;
  const [state, setState] = useState<LoadState>({ kind: "loading" });

  useEffect(() => {
    if (!orderId) {
      setState({ kind: "loaded", parcels: [] });
      return;
    }
    let cancelled = false;
    (async () => {
      const token = await sessionToken.get();
      const url = `${APP_URL}/api/customer/orders/${orderId}/trackings?locale=${encodeURIComponent(language)}`;
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { parcels: Parcel[] };
      if (!cancelled) setState({ kind: "loaded", parcels: body.parcels });
    })().catch(() => {
      if (!cancelled) setState({ kind: "failed" });
    });
    return () => {
      cancelled = true;
    };
  }, [orderId, language, sessionToken]);

  const date = (iso: string) => i18n.formatDate(new Date(iso), { dateStyle: "medium" });

  return (
    <s-section heading={i18n.translate("heading")}>
      {state.kind === "loading" && <s-spinner accessibilityLabel={i18n.translate("loading")} />}
      {state.kind === "failed" && <s-banner tone="critical">{i18n.translate("error")}</s-banner>}
      {state.kind === "loaded" && state.parcels.length === 0 && <s-text>{i18n.translate("empty")}</s-text>}
      {state.kind === "loaded" && state.parcels.length > 0 && (
        <s-stack direction="block" gap="base">
          {state.parcels.map((parcel, index) => (
            <s-stack key={parcel.trackingNumber} direction="block" gap="small-200">
              {index > 0 && <s-divider />}
              <s-stack direction="inline" gap="small-200" alignItems="center">
                <s-text type="strong">{parcel.carrierName}</s-text>
                <s-text>{parcel.trackingNumber}</s-text>
                <s-badge tone={TONES[parcel.status] ?? "auto"}>{parcel.statusLabel}</s-badge>
              </s-stack>
              {parcel.lastEvent && (
                <s-text color="subdued">{i18n.translate("lastUpdate", { event: parcel.lastEvent })}</s-text>
              )}
              {parcel.estimatedDeliveryAt && (
                <s-text>
                  {i18n.translate("estimatedDelivery", { date: date(parcel.estimatedDeliveryAt) })}
                </s-text>
              )}
            </s-stack>
          ))}
        </s-stack>
      )}
    </s-section>
  );
}
