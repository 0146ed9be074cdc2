import type { LoaderFunctionArgs } from "@remix-run/node";
import { translate, type MessageKey } from "~/i18n";
import { adminFormatters } from "~/models/admin/formatting.server";
import {
  exportTrackingsCsv,
  parseTrackingListQuery,
  type CsvColumn,
  type CsvWords,
} from "~/models/admin/trackings-list.server";
import { authenticate } from "~/shopify.server";

const HEADERS: Record<CsvColumn, MessageKey> = {
  trackingNumber: "trackings.col.number",
  carrier: "trackings.col.carrier",
  orderName: "trackings.col.order",
  title: "trackings.col.title",
  customerName: "trackings.col.customer",
  customerEmail: "trackings.col.customerEmail",
  status: "trackings.col.status",
  lastEvent: "trackings.col.lastEvent",
  lastUpdate: "trackings.col.lastUpdate",
  archived: "trackings.col.archived",
  sync: "trackings.col.sync",
  createdAt: "trackings.col.created",
  estimatedDeliveryAt: "trackings.col.estimate",
};

// The list's filtered rows as CSV, streamed page by page so a large export never sits in memory.
// The list page fetches it with its session token (see components/export-button.tsx): a link
// would carry the page's token, which expires a minute after the page loaded.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseTrackingListQuery(new URL(request.url).searchParams);
  const format = await adminFormatters(request, session.shop);
  const t = (key: MessageKey) => translate(format.locale, key);
  const words: CsvWords = {
    header: (column) => t(HEADERS[column]),
    status: (status) => t(`status.${status}` as MessageKey),
    sync: (syncState) => t(`sync.${syncState}` as MessageKey),
    yesNo: (value) => t(value ? "common.yes" : "common.no"),
    carrier: format.carrier,
    dateTime: (value) => format.dateTime(value),
  };
  const lines = exportTrackingsCsv(session.shop, query, words);
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
      "cache-control": "no-store",
    },
  });
};
