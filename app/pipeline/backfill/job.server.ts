import { runBackfillStep, type AdminForShop } from "~/pipeline/backfill/backfill.server";
import { unauthenticated } from "~/shopify.server";
import type { BackgroundJob } from "~/pipeline/background.server";

// Merchant-started backfills, one page of orders per round, with the shop's offline session.
const adminForShop: AdminForShop = async (shop) => (await unauthenticated.admin(shop)).admin;

export function backfillJob(): BackgroundJob {
  return {
    name: "backfill",
    idleDelayMs: 2_000,
    runOnce: () => runBackfillStep(adminForShop),
  };
}
