import prisma from "~/db/client.server";
import { isUniqueConstraintError } from "~/db/sql.server";
import { routeId } from "./routes.server";

// CarrierDailyStats: one row per shop, creation day and route, rebuilt whole from that day's
// delivery promises whenever one of them changes (a day holds hundreds of parcels, not
// thousands), so the figures can never drift from the parcels they count.

export async function rebuildDailyStats(shop: string, day: string): Promise<void> {
  const promises = await prisma.deliveryPromise.findMany({
    where: { shop, shipDay: day },
    select: {
      carrierCode: true,
      originCountry: true,
      destinationCountry: true,
      deliveredAt: true,
      deliveryDays: true,
      eddLatestAt: true,
      hadException: true,
      hadFailedAttempt: true,
    },
  });
  const byRoute = new Map<
    string,
    {
      carrierCode: string;
      originCountry: string;
      destinationCountry: string;
      parcels: number;
      delivered: number;
      deliveredWithEdd: number;
      deliveredWithinEdd: number;
      exceptions: number;
      failedAttempts: number;
      days: Record<string, number>;
    }
  >();
  for (const p of promises) {
    const id = routeId(p);
    let s = byRoute.get(id);
    if (!s) {
      s = {
        carrierCode: p.carrierCode,
        originCountry: p.originCountry,
        destinationCountry: p.destinationCountry,
        parcels: 0,
        delivered: 0,
        deliveredWithEdd: 0,
        deliveredWithinEdd: 0,
        exceptions: 0,
        failedAttempts: 0,
        days: {},
      };
      byRoute.set(id, s);
    }
    s.parcels++;
    if (p.hadException) s.exceptions++;
    if (p.hadFailedAttempt) s.failedAttempts++;
    if (p.deliveredAt && p.deliveryDays !== null) {
      s.delivered++;
      s.days[p.deliveryDays] = (s.days[p.deliveryDays] ?? 0) + 1;
      if (p.eddLatestAt) {
        s.deliveredWithEdd++;
        if (p.deliveredAt <= p.eddLatestAt) s.deliveredWithinEdd++;
      }
    }
  }
  const rows = [...byRoute.values()].map(({ days: _days, ...s }) => ({ shop, day, ...s }));
  const dayRows = [...byRoute.values()].flatMap((s) =>
    Object.entries(s.days).map(([days, parcels]) => ({
      shop,
      day,
      carrierCode: s.carrierCode,
      originCountry: s.originCountry,
      destinationCountry: s.destinationCountry,
      days: Number(days),
      parcels,
    })),
  );
  for (let attempt = 1; ; attempt++) {
    try {
      await prisma.$transaction([
        prisma.carrierDailyStats.deleteMany({ where: { shop, day } }),
        prisma.carrierDailyDays.deleteMany({ where: { shop, day } }),
        prisma.carrierDailyStats.createMany({ data: rows }),
        prisma.carrierDailyDays.createMany({ data: dayRows }),
      ]);
      return;
    } catch (error) {
      // Two workers rebuilding the same day at once: the later one rebuilds it again.
      if (attempt >= 3 || !isUniqueConstraintError(error)) throw error;
    }
  }
}
