import { Badge } from "@shopify/polaris";
import { useTranslation, type MessageKey } from "~/i18n";

type Tone = "info" | "success" | "warning" | "critical" | "attention" | undefined;

const STATUS_TONE: Record<string, Tone> = {
  pending: undefined,
  notfound: "warning",
  transit: "info",
  pickup: "attention",
  delivered: "success",
  undelivered: "warning",
  exception: "critical",
  expired: undefined,
};

const SYNC_TONE: Record<string, Tone> = {
  synced: "success",
  pending: "info",
  pending_update: "info",
  pending_delete: "info",
  needs_carrier: "warning",
  waiting_api_key: "warning",
  quota_paused: "warning",
  needs_attention: "critical",
};

/** The shipment's status as TrackingMore reports it. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Badge tone={STATUS_TONE[status]}>{t(`status.${status}` as MessageKey)}</Badge>;
}

/** Whether TrackingMore has the merchant's latest, in the merchant's words. */
export function SyncBadge({ syncState }: { syncState: string }) {
  const { t } = useTranslation();
  return <Badge tone={SYNC_TONE[syncState]}>{t(`sync.${syncState}` as MessageKey)}</Badge>;
}
