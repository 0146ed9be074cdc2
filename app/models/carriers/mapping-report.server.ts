import prisma from "~/db/client.server";

// What the mapping did lately, for the settings page: per Shopify company name (and the country
// it shipped from), the carrier it went to and how many of those parcels TrackingMore found. A
// name whose parcels are never found is mapped to the wrong carrier.

export const REPORT_DAYS = 30;
/** Statuses that mean TrackingMore has not (yet) found the parcel at the carrier. */
const NOT_FOUND_STATUSES = ["pending", "notfound"];

export interface MappingReportRow {
  trackingCompany: string | null;
  originCountry: string | null;
  carrierCode: string;
  carrierName: string | null;
  carrierSource: string | null;
  trackings: number;
  found: number;
  /** TrackingMore looked and did not find them (status "notfound"). */
  notFound: number;
}

/** `carrierName`: the merchant's name for a carrier code (the admin's formatters give it). */
export async function carrierMappingReport(
  shop: string,
  carrierName: (code: string) => string,
  now: Date = new Date(),
): Promise<MappingReportRow[]> {
  const since = new Date(now.getTime() - REPORT_DAYS * 86_400_000);
  const by = ["trackingCompany", "originCountry", "carrierCode", "carrierSource", "status"] as const;
  const groups = await prisma.tracking.groupBy({
    by: [...by],
    where: { shop, createdAt: { gte: since }, syncState: { not: "deleted" } },
    _count: { _all: true },
  });
  const rows = new Map<string, MappingReportRow>();
  for (const group of groups) {
    const key = JSON.stringify([
      group.trackingCompany,
      group.originCountry,
      group.carrierCode,
      group.carrierSource,
    ]);
    const row = rows.get(key) ?? {
      trackingCompany: group.trackingCompany,
      originCountry: group.originCountry,
      carrierCode: group.carrierCode,
      carrierName: group.carrierCode ? carrierName(group.carrierCode) : null,
      carrierSource: group.carrierSource,
      trackings: 0,
      found: 0,
      notFound: 0,
    };
    const count = group._count._all;
    row.trackings += count;
    if (!NOT_FOUND_STATUSES.includes(group.status)) row.found += count;
    if (group.status === "notfound") row.notFound += count;
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (a, b) =>
      b.trackings - a.trackings ||
      (a.trackingCompany ?? "").localeCompare(b.trackingCompany ?? "") ||
      a.carrierCode.localeCompare(b.carrierCode),
  );
}
