// Shared by the server (which finds them) and the page (which shows them as banners).

/**
 * Something that stops trackings from flowing, shown as a page-level critical banner with what
 * to do. `dead_letters` is for deliveries the pipeline gave up on (counted by the pipeline's
 * queue; the banner is ready for it).
 */
export type BlockingState =
  | { kind: "no_api_key" }
  | { kind: "api_key_rejected" }
  | { kind: "quota_exhausted" }
  | { kind: "trackingmore_unreachable" }
  | { kind: "dead_letters"; count: number; href?: string };

export type BlockingKind = BlockingState["kind"];

/** One banner per kind, the first report of each kept, in the order a merchant should act. */
export function mergeBlockingStates(...lists: BlockingState[][]): BlockingState[] {
  const order: BlockingKind[] = [
    "no_api_key",
    "api_key_rejected",
    "quota_exhausted",
    "trackingmore_unreachable",
    "dead_letters",
  ];
  const byKind = new Map<BlockingKind, BlockingState>();
  for (const state of lists.flat()) if (!byKind.has(state.kind)) byKind.set(state.kind, state);
  return order.filter((kind) => byKind.has(kind)).map((kind) => byKind.get(kind)!);
}
