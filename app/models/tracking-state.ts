// A tracking's sync state with TrackingMore: what the pipeline does next with it. Not a .server
// module, so the admin's badges and filters use the same list.
//
// A row a stage gave up on keeps its state and carries `deadAt` (see app/pipeline/queue): the
// admin shows it as "needs attention" until it is retried.
export const SYNC_STATES = [
  /** Waiting for the dispatch stage to create it at TrackingMore. */
  "pending",
  /** TrackingMore has it, with every local edit. */
  "synced",
  /** No TrackingMore API key yet: saving one sends it. */
  "waiting_api_key",
  /** No carrier could be told: the merchant chooses one. */
  "needs_carrier",
  /** The shop's TrackingMore quota is used up: sent when it returns. */
  "quota_paused",
  /** A merchant edit waits for the change-push stage. */
  "pending_update",
  /** A deletion waits for the change-push stage. */
  "pending_delete",
] as const;

export type SyncState = (typeof SYNC_STATES)[number];

/** States whose rows TrackingMore does not have yet: a create will carry the latest fields. */
export const NOT_AT_TRACKINGMORE: readonly SyncState[] = [
  "pending",
  "waiting_api_key",
  "needs_carrier",
  "quota_paused",
];

export function isSyncState(value: string): value is SyncState {
  return (SYNC_STATES as readonly string[]).includes(value);
}
