import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveTrackingMorePush } from "~/models/status/push.server";

// TrackingMore's status pushes (one URL for every shop; signed with the account email, not by
// Shopify). The model verifies, finds the shops and records the push before we answer; the
// apply-trackingmore-pushes job stores the status.
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return new Response(null, { status: 405, headers: { Allow: "POST" } });
  const result = await receiveTrackingMorePush(await request.text());
  return Response.json({ result: result.result }, { status: result.httpStatus });
};
