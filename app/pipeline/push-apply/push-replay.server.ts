import { createHash } from "node:crypto";
import { queryOnRequestPath } from "~/db/client.server";
import { insertStatements } from "~/db/sql.server";
import { batchedCalls } from "~/lib/batched-calls.server";

// TrackingMore's signature covers only timeStr, so a captured push verifies again for as long
// as its timeStr is fresh. Each push taken is remembered (TrackingMorePushSeen) until its
// freshness window closes; the same push again is ignored. Pushes TrackingMore sends in the
// same second share timeStr and signature (two scans of one parcel too), so a push's identity
// is the signature with what it says: a captured signature reused on altered data passes here,
// and is harmless because a push's news is only applied as TrackingMore confirms it
// (push-confirmation.server.ts).

export interface PushIdentity {
  timeStr: string;
  signature: string;
  /** The push's `data`, as received. */
  data: unknown;
}

export function pushKey(push: PushIdentity): string {
  return createHash("sha256")
    .update(JSON.stringify([push.timeStr, push.signature.toLowerCase(), push.data]))
    .digest("hex");
}

/**
 * True the first time a push is seen, false for a replay. Pushes arriving together share one
 * statement (group commit); inside a group, the first of two identical pushes wins.
 */
export const firstSighting = batchedCalls(
  async (sightings: { key: string; expiresAt: Date }[]): Promise<boolean[]> => {
    const unique = [...new Map(sightings.map((s) => [s.key, s])).values()];
    const inserted = new Set<string>();
    for (const { sql, values } of insertStatements("TrackingMorePushSeen", unique, {
      then: `ON CONFLICT ("key") DO NOTHING RETURNING "key"`,
    })) {
      for (const row of await queryOnRequestPath<{ key: string }>(sql, values)) inserted.add(row.key);
    }
    return sightings.map(({ key }) => inserted.delete(key));
  },
);
