import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { checkTrackingMoreAccount } from "~/models/admin/blocking-states.server";
import { adminFormatters } from "~/models/admin/formatting.server";
import { authenticate } from "~/shopify.server";

// TrackingMore's view of the shop's account (quota, reachable, key accepted), fetched by the
// dashboard and the list after they rendered (see app/components/blocking-banners.tsx).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [account, format] = await Promise.all([
    checkTrackingMoreAccount(session.shop),
    adminFormatters(request, session.shop),
  ]);
  const quotaLabel = account.quotaRemaining === null ? null : format.number(account.quotaRemaining);
  return json({ ...account, quotaLabel }, { headers: { "cache-control": "no-store" } });
};
