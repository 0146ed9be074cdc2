import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import prisma from "~/db/client.server";
import { saveTrackingMoreAccountEmail, saveTrackingMoreApiKey } from "~/models/settings.server";
import { applyReceivedPushes } from "~/pipeline/push-apply/apply.server";
import { action } from "~/routes/webhooks.trackingmore";
import { callRoute } from "../support/routes";
import { interceptAdminGraphql, type GraphqlCall } from "../support/shopify-api-mock";
import { TEST_APP_URL } from "../support/env";
import { startPipelineEmulator, type PipelineEmulator } from "../support/pipeline";

// Shared by the status and write-back tests (pushes themselves: devkit/trackingmore-wire.ts): a
// receiver that hands the emulator's pushes to our route, seeded rows, and a Shopify that
// remembers the fulfillment events it was given.

export const HOUR = 3_600_000;

// TrackingMore for the tests that seed shops here without a key of their own: one emulator
// account holds every such shop's parcels. A push that changes a status is applied only as
// TrackingMore confirms it (app/pipeline/push-apply/push-confirmation.server.ts), so what a test
// pushes is, by default, first made what TrackingMore holds: TrackingMore pushes what it has.
let trackingMore: Promise<PipelineEmulator> | undefined;
export const statusTrackingMore = () => (trackingMore ??= startPipelineEmulator());

function wireDataOf(body: string): Record<string, unknown> | null {
  try {
    const { data } = JSON.parse(body) as { data?: unknown };
    return typeof data === "object" && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Makes `data` (a wire tracking) what the status tests' TrackingMore account holds. */
export async function carrierSays(data: Record<string, unknown>) {
  const tm = await statusTrackingMore();
  tm.emulator.setCarrierView(tm.apiKey, data);
}

/**
 * Posts a push to the route, then (unless told not to) runs the apply job as the worker would.
 * The pushed data becomes what TrackingMore holds first, unless `confirmed` is false (a forged
 * or altered push) or the test brought its own TrackingMore.
 */
export async function postPush(body: string, { apply = true, confirmed = true } = {}): Promise<Response> {
  if (confirmed && trackingMore) {
    const data = wireDataOf(body);
    if (data) await carrierSays(data);
  }
  const response = await callRoute(
    action,
    new Request(`${TEST_APP_URL}/webhooks/trackingmore`, { method: "POST", body }),
  );
  if (apply) await applyReceivedPushes();
  return response;
}

/** An HTTP endpoint the emulator can push to; each push runs our route (not the apply job). */
export async function startPushReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      postPush(Buffer.concat(chunks).toString("utf8"), { apply: false })
        .then(async (response) => {
          res.writeHead(response.status, { "content-type": "application/json" });
          res.end(await response.text());
        })
        .catch((error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/trackingmore`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function seedShop(shop: string, options: { email?: string | null; apiKey?: string } = {}) {
  await prisma.shop.upsert({ where: { domain: shop }, create: { domain: shop }, update: {} });
  await saveTrackingMoreApiKey(shop, options.apiKey ?? (await statusTrackingMore()).apiKey);
  if (options.email) await saveTrackingMoreAccountEmail(shop, options.email);
}

let seq = 0;
export async function seedTracking(
  shop: string,
  trackingNumber: string,
  overrides: Partial<{
    carrierCode: string;
    fulfillmentId: string | null;
    status: string;
    manualStatus: number | null;
    syncState: string;
    pendingChanges: string | null;
  }> = {},
) {
  seq++;
  return prisma.tracking.create({
    data: {
      shop,
      orderId: `order-${seq}`,
      fulfillmentId: overrides.fulfillmentId === undefined ? `${1000 + seq}` : overrides.fulfillmentId,
      trackingNumber,
      carrierCode: overrides.carrierCode ?? "usps",
      trackingMoreId: `tm-${trackingNumber}`,
      syncState: overrides.syncState ?? "synced",
      status: overrides.status ?? "pending",
      manualStatus: overrides.manualStatus ?? null,
      pendingChanges: overrides.pendingChanges ?? null,
    },
  });
}

export interface ShopifyEvent {
  id: string;
  fulfillmentId: string;
  status: string;
  happenedAt: string;
  message?: string;
  city?: string;
  country?: string;
  estimatedDeliveryAt?: string;
}

/**
 * A Shopify Admin API that keeps the fulfillment events it receives. `answer` may replace the
 * reply to a call (throttling, errors); returning undefined lets the fake answer normally.
 */
export function fakeShopifyEvents(answer?: (call: GraphqlCall) => unknown) {
  const events: ShopifyEvent[] = [];
  const knownFulfillments = new Set<string>();
  let missing = new Set<string>();
  const calls = interceptAdminGraphql((call) => {
    const replaced = answer?.(call);
    if (replaced !== undefined) return replaced as Response;
    const cost = {
      requestedQueryCost: 10,
      actualQueryCost: 10,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
    };
    if (call.query.includes("fulfillmentEventCreate")) {
      const input = call.variables.fulfillmentEvent as Omit<ShopifyEvent, "id">;
      if (missing.has(input.fulfillmentId)) {
        return {
          data: {
            fulfillmentEventCreate: {
              fulfillmentEvent: null,
              userErrors: [{ field: ["fulfillmentId"], message: "Fulfillment does not exist." }],
            },
          },
          extensions: { cost },
        };
      }
      knownFulfillments.add(input.fulfillmentId);
      const event = { id: `gid://shopify/FulfillmentEvent/${events.length + 1}`, ...input };
      events.push(event);
      return {
        data: {
          fulfillmentEventCreate: {
            fulfillmentEvent: { id: event.id, status: event.status, happenedAt: event.happenedAt },
            userErrors: [],
          },
        },
        extensions: { cost },
      };
    }
    const id = String(call.variables.id);
    return {
      data: {
        fulfillment: missing.has(id)
          ? null
          : {
              id,
              events: {
                nodes: events
                  .filter((e) => e.fulfillmentId === id)
                  .reverse()
                  .map(({ id: eid, status, happenedAt }) => ({ id: eid, status, happenedAt })),
              },
            },
      },
      extensions: { cost },
    };
  });
  return {
    calls,
    events,
    mutations: () => calls.filter((c) => c.query.includes("fulfillmentEventCreate")),
    forget: (gid: string) => {
      missing = new Set([...missing, gid]);
    },
    known: knownFulfillments,
  };
}
