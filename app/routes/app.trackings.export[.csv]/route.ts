import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportTrackingsCsv, parseTrackingListQuery } from "~/models/admin/trackings-list.server";
import { authenticate } from "~/shopify.server";

// The list's filtered rows as CSV, streamed page by page so a large export never sits in memory.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseTrackingListQuery(new URL(request.url).searchParams);
  const lines = exportTrackingsCsv(session.shop, query);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="trackings-${day}.csv"`,
    },
  });
};
