// The list's filters as the browser and the server both know them: one definition per filter,
// so a dashboard link, a chip and the loader's query always mean the same rows.

import type { SyncState as StoredSyncState } from "~/models/tracking-state";

/**
 * The state the admin shows a row a stage gave up on (`deadAt` set) in, whatever state it kept
 * (see app/pipeline/queue): not one the pipeline stores.
 */
export const NEEDS_ATTENTION = "needs_attention";

/**
 * Sync states grouped as the merchant thinks of them: every state the pipeline stores
 * (app/models/tracking-state.ts), each in one group, and the dead letters' NEEDS_ATTENTION.
 */
export const SYNC_GROUPS = {
  synced: ["synced"],
  pending: ["pending", "pending_update", "pending_delete"],
  attention: [NEEDS_ATTENTION, "needs_carrier", "waiting_api_key", "quota_paused"],
} as const satisfies Record<string, readonly (StoredSyncState | typeof NEEDS_ATTENTION)[]>;
export type SyncGroup = keyof typeof SYNC_GROUPS;
// Fails to compile when the pipeline gains a state no group shows.
const EVERY_STORED_STATE_GROUPED: Exclude<
  StoredSyncState,
  (typeof SYNC_GROUPS)[SyncGroup][number]
> extends never
  ? true
  : never = true;
void EVERY_STORED_STATE_GROUPED;

export const SYNC_STATES = [...SYNC_GROUPS.synced, ...SYNC_GROUPS.pending, ...SYNC_GROUPS.attention] as const;
export type SyncState = (typeof SYNC_STATES)[number];

/**
 * The sync filter takes a group ("attention") or one exact state ("waiting_api_key"); "synced"
 * and "pending" are groups ("pending" takes in changes waiting as well).
 */
export type SyncFilter = SyncGroup | SyncState;
export const SYNC_FILTER_VALUES: readonly SyncFilter[] = [
  ...new Set<SyncFilter>([...(Object.keys(SYNC_GROUPS) as SyncGroup[]), ...SYNC_STATES]),
];

export const VIEWS = ["all", "attention", "exceptions", "late", "stalled", "archived"] as const;
export type TrackingView = (typeof VIEWS)[number];

/**
 * What the dashboard's "needs your attention" card counts, each as the list URL it links to; the
 * dashboard counts each with the list's own query, so the number is the list's number.
 */
export const ATTENTION_LINKS = [
  { key: "exceptions", search: "view=exceptions" },
  { key: "stalled", search: "view=stalled" },
  { key: "failedAttempts", search: "status=undelivered" },
  { key: "waitingApiKey", search: "sync=waiting_api_key" },
  { key: "quotaPaused", search: "sync=quota_paused" },
  { key: "needsCarrier", search: "sync=needs_carrier" },
  { key: "needsAttention", search: "sync=needs_attention" },
  { key: "pendingSync", search: "sync=pending" },
] as const;
export type AttentionKey = (typeof ATTENTION_LINKS)[number]["key"];

/** Whether anything narrows the list beyond its view: search, or any filter (chips). */
export function filtersApplied(query: {
  search: string;
  statuses: readonly string[];
  carrier: string;
  archived: string;
  sync: string;
  createdFrom: string;
  createdTo: string;
}): boolean {
  return (
    query.statuses.length > 0 ||
    Boolean(query.carrier || query.sync || query.createdFrom || query.createdTo || query.search) ||
    query.archived !== "no"
  );
}
