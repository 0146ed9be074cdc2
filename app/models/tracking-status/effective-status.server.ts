import type { TrackingStatus } from "~/trackingmore";

// The one definition of which status a parcel shows. TrackingMore's carrier status is always
// stored (Tracking.carrierStatus); a merchant's manual status 4 (delivered) or 7 (exception)
// overrides it until the merchant sets 8, which hands the status back to the carrier.
// Tracking.status holds the result, so lists, filters and counts read one column.

export const MANUAL_STATUS_MEANING: Readonly<Record<number, TrackingStatus>> = {
  4: "delivered",
  7: "exception",
};

/** Statuses after which TrackingMore stops tracking, so polling stops asking about them. */
export const FINAL_STATUSES: readonly TrackingStatus[] = ["delivered", "expired"];

export function isFinalStatus(status: string | null | undefined): boolean {
  return FINAL_STATUSES.includes(status as TrackingStatus);
}

/** A stored manual status that still overrides the carrier's: 4 or 7 (8 and null do not). */
export function activeManualStatus(manualStatus: number | null | undefined): 4 | 7 | null {
  return manualStatus === 4 || manualStatus === 7 ? manualStatus : null;
}

export function effectiveStatus(
  carrierStatus: string | null | undefined,
  manualStatus: number | null | undefined,
): string {
  const manual = activeManualStatus(manualStatus);
  return manual ? MANUAL_STATUS_MEANING[manual] : (carrierStatus ?? "pending");
}

/**
 * The Tracking fields to write when the merchant sets a manual status (4, 7 or 8): 8 clears
 * the override and the carrier's status shows again.
 */
export function manualStatusFields(
  row: { carrierStatus: string | null },
  manualStatus: 4 | 7 | 8,
  now: Date = new Date(),
): { manualStatus: number | null; status: string; statusUpdatedAt: Date } {
  const manual = manualStatus === 8 ? null : manualStatus;
  return {
    manualStatus: manual,
    // Not row.status: while a manual status is active that column holds the manual one.
    status: effectiveStatus(row.carrierStatus, manual),
    statusUpdatedAt: now,
  };
}
