// Preloaded into the app under test (node --import) so its Admin GraphQL calls never leave
// this machine: msw answers the orders query from the JSON file SHOPIFY_STUB_ORDERS names
// (two orders a page, like Shopify's cursor pagination) and every other query with empty data.
// SHOPIFY_STUB_PAGE_DELAY_MS holds each orders page back that long, so an import runs long
// enough for a test to cancel it. Loaded before the app, so the Shopify library picks up msw's fetch.
import { readFileSync } from "node:fs";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";

const ordersFile = process.env.SHOPIFY_STUB_ORDERS;
const pageDelayMs = Number(process.env.SHOPIFY_STUB_PAGE_DELAY_MS ?? 0);

const server = setupServer(
  http.post("https://:shop/admin/api/:version/graphql.json", async ({ request }) => {
    const body = await request.json();
    if (!ordersFile || !String(body.query).includes("BackfillOrders")) return HttpResponse.json({ data: {} });
    if (pageDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, pageDelayMs));
    const orders = JSON.parse(readFileSync(ordersFile, "utf8"));
    const start = body.variables?.after ? Number(body.variables.after) : 0;
    const nodes = orders.slice(start, start + 2);
    const end = start + nodes.length;
    return HttpResponse.json({
      data: { orders: { nodes, pageInfo: { hasNextPage: end < orders.length, endCursor: String(end) } } },
    });
  }),
);
server.listen({
  onUnhandledRequest(request, print) {
    const { hostname } = new URL(request.url);
    if (hostname === "127.0.0.1" || hostname === "localhost") return;
    print.error();
  },
});
