import { readFileSync } from "node:fs";
import path from "node:path";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { parse } from "smol-toml";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { queueFlowTriggerEvents } from "~/pipeline/flow-triggers/enqueue.server";
import { sendDueFlowTriggerEvents, type AdminFor } from "~/pipeline/flow-triggers/send.server";
import { FLOW_TRIGGER_HANDLES, STALLED_AFTER_MS, flowTriggerPayload } from "~/models/flow/triggers";
import { queueTrackingChanges } from "~/pipeline/change-push/tracking-changes.server";
import { action as lifecycle } from "~/routes/flow.lifecycle";
import { action as markTracking } from "~/routes/flow.actions.mark-tracking";
import { unauthenticated } from "~/shopify.server";
import { extensionFolders } from "../extensions/helpers";
import { installShop } from "../support/pipeline";
import { callRoute } from "../support/routes";
import { interceptAdminGraphql, type GraphqlCall } from "../support/shopify-api-mock";
import { signWebhookBody } from "../support/shopify";

// Shopify Flow: triggers queued from status changes and sent once with flowTriggerReceive (the
// Admin API intercepted), only for shops whose workflows use them; the lifecycle callback and
// the action route as Shopify calls them, signed with the app's secret.

const adminFor: AdminFor = async (shop) => (await unauthenticated.admin(shop)).admin;
let shopSequence = 0;

beforeAll(() => {
  // The Shopify library keeps the fetch it found at import, before msw wrapped the global one.
  setAbstractFetchFunc((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
});

async function newShop() {
  const shop = `flow-${++shopSequence}-${Date.now()}.myshopify.com`;
  await installShop(shop);
  return shop;
}

function flowRequest(pathname: string, body: unknown, signature?: string) {
  const raw = JSON.stringify(body);
  return new Request(`https://trackbridge.test${pathname}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-hmac-sha256": signature ?? signWebhookBody(raw),
    },
    body: raw,
  });
}

const lifecycleCallback = (shop: string, handle: string, enabled: boolean, timestamp = new Date()) =>
  callRoute(
    lifecycle,
    flowRequest("/flow/lifecycle", {
      flow_trigger_definition_id: handle,
      has_enabled_flow: enabled,
      shop_id: 690933842,
      shopify_domain: shop,
      timestamp: timestamp.toISOString(),
    }),
  );

async function seedTracking(
  shop: string,
  fields: Partial<Parameters<typeof prisma.tracking.create>[0]["data"]> = {},
) {
  return prisma.tracking.create({
    data: {
      shop,
      orderId: "5905126375613",
      orderName: "#1001",
      trackingNumber: `YT${Date.now()}${shopSequence}`,
      carrierCode: "yunexpress",
      status: "transit",
      carrierStatus: "transit",
      lastEvent: "Departed sorting center",
      lastEventAt: new Date(),
      syncState: "synced",
      ...fields,
    },
  });
}

function answerFlow() {
  return { data: { flowTriggerReceive: { userErrors: [] } } };
}

describe("Flow trigger extensions", () => {
  const triggers = extensionFolders().flatMap((folder) =>
    (folder.toml.extensions ?? [])
      .filter((e) => e.type === "flow_trigger")
      .map((e) => ({
        folder: folder.name,
        handle: e.handle,
        file: path.join(folder.dir, "shopify.extension.toml"),
      })),
  );

  it("there is one per trigger the app fires", () => {
    expect(triggers.map((t) => t.handle).sort()).toEqual([...FLOW_TRIGGER_HANDLES].sort());
  });

  it.each(triggers.map((t) => [t.handle, t.file] as const))(
    "%s: the payload has exactly the declared fields",
    (_h, file) => {
      const toml = parse(readFileSync(file, "utf8")) as {
        settings: { fields: { type: string; key?: string }[] };
      };
      // Flow's reference fields travel as <resource>_id; the others under their key.
      const declared = toml.settings.fields.map((f) =>
        f.type.endsWith("_reference") ? `${f.type.replace(/_reference$/, "")}_id` : f.key,
      );
      const payload = flowTriggerPayload({
        orderId: "1001",
        trackingNumber: "1Z999",
        carrierCode: "ups",
        trackingCompany: "UPS",
        status: "transit",
        substatus: null,
        lastEvent: null,
      });
      expect(Object.keys(payload)).toEqual(declared);
      expect(typeof payload.order_id).toBe("number");
      for (const [key, value] of Object.entries(payload))
        if (key !== "order_id") expect(typeof value).toBe("string");
    },
  );
});

describe("Flow triggers", () => {
  it("queue nothing for a shop without an enabled workflow", async () => {
    const shop = await newShop();
    const tracking = await seedTracking(shop);
    await queueTrackingChanges(shop, [tracking.id], { manualStatus: 7 });
    await queueFlowTriggerEvents();
    expect(await prisma.flowTriggerEvent.count({ where: { shop } })).toBe(0);
  });

  it("fire status changed and delivered once per change, across rounds, retries and two workers", async () => {
    const shop = await newShop();
    expect((await lifecycleCallback(shop, "tracking-status-changed", true)).status).toBe(200);
    expect((await lifecycleCallback(shop, "tracking-delivered", true)).status).toBe(200);
    const tracking = await seedTracking(shop, { statusUpdatedAt: new Date(Date.now() - 86_400_000) });
    // Status from before the workflow was enabled is history.
    expect(await queueFlowTriggerEvents()).toBe(0);

    await queueTrackingChanges(shop, [tracking.id], { manualStatus: 4 });
    expect(await queueFlowTriggerEvents()).toBe(2);
    expect(await queueFlowTriggerEvents()).toBe(0);

    let down = true;
    const calls = interceptAdminGraphql((call: GraphqlCall) =>
      call.shop === shop && down ? new Response("unavailable", { status: 503 }) : answerFlow(),
    );
    const t0 = new Date();
    expect(await sendDueFlowTriggerEvents(adminFor, t0)).toBe(0);
    const whileDown = calls.length;
    down = false;
    const later = new Date(t0.getTime() + 3_600_000);
    const sent = await Promise.all([
      sendDueFlowTriggerEvents(adminFor, later),
      sendDueFlowTriggerEvents(adminFor, later),
    ]);
    expect(sent[0] + sent[1]).toBe(2);
    expect(await sendDueFlowTriggerEvents(adminFor, new Date(later.getTime() + 3_600_000))).toBe(0);
    const delivered = calls.slice(whileDown).filter((c) => c.shop === shop);
    expect(delivered.map((c) => c.variables.handle).sort()).toEqual([
      "tracking-delivered",
      "tracking-status-changed",
    ]);
    expect(delivered[0].variables.payload).toEqual({
      order_id: 5905126375613,
      "Tracking number": tracking.trackingNumber,
      Carrier: expect.any(String),
      Status: "delivered",
      Substatus: "",
      "Last event": "Departed sorting center",
    });
    expect(await prisma.flowTriggerEvent.findMany({ where: { shop }, select: { state: true } })).toEqual([
      { state: "sent" },
      { state: "sent" },
    ]);
  });

  it("fire exception and stop when the shop turns its workflow off; an older callback changes nothing", async () => {
    const shop = await newShop();
    await lifecycleCallback(shop, "tracking-exception", true);
    const a = await seedTracking(shop);
    await queueTrackingChanges(shop, [a.id], { manualStatus: 7 });
    expect(await queueFlowTriggerEvents()).toBe(1);
    expect((await prisma.flowTriggerEvent.findFirstOrThrow({ where: { shop } })).handle).toBe(
      "tracking-exception",
    );

    await lifecycleCallback(shop, "tracking-exception", false);
    await lifecycleCallback(shop, "tracking-exception", true, new Date(Date.now() - 60_000));
    const b = await seedTracking(shop);
    await queueTrackingChanges(shop, [b.id], { manualStatus: 7 });
    expect(await queueFlowTriggerEvents()).toBe(0);
  });

  it("fire shipment stalled once per silence", async () => {
    const shop = await newShop();
    await lifecycleCallback(shop, "shipment-stalled", true);
    // Enabled two hours ago: a parcel silent for a week and an hour went stalled while it was on.
    await prisma.flowTriggerSubscription.updateMany({
      where: { shop },
      data: { since: new Date(Date.now() - 2 * 3_600_000) },
    });
    const quietSince = new Date(Date.now() - STALLED_AFTER_MS - 3_600_000);
    await seedTracking(shop, { lastEventAt: quietSince });
    await seedTracking(shop, { lastEventAt: new Date() });
    expect(await queueFlowTriggerEvents()).toBe(1);
    expect(await queueFlowTriggerEvents()).toBe(0);
    expect((await prisma.flowTriggerEvent.findFirstOrThrow({ where: { shop } })).handle).toBe(
      "shipment-stalled",
    );
  });

  it("record Shopify Flow's refusal without retrying", async () => {
    const shop = await newShop();
    await lifecycleCallback(shop, "tracking-status-changed", true);
    const tracking = await seedTracking(shop);
    await queueTrackingChanges(shop, [tracking.id], { manualStatus: 7 });
    await queueFlowTriggerEvents();
    const calls = interceptAdminGraphql(() => ({
      data: { flowTriggerReceive: { userErrors: [{ field: ["handle"], message: "Invalid handle" }] } },
    }));
    await sendDueFlowTriggerEvents(adminFor);
    await sendDueFlowTriggerEvents(adminFor, new Date(Date.now() + 86_400_000));
    expect(calls.filter((c) => c.shop === shop)).toHaveLength(1);
    expect(await prisma.flowTriggerEvent.findFirstOrThrow({ where: { shop } })).toMatchObject({
      state: "failed",
      lastError: "Shopify Flow refused the trigger: Invalid handle",
    });
  });
});

describe("Flow lifecycle callback and action routes", () => {
  it("refuse a request that is not signed with the app's secret", async () => {
    const shop = await newShop();
    const body = {
      flow_trigger_definition_id: "tracking-delivered",
      has_enabled_flow: true,
      shopify_domain: shop,
      timestamp: new Date().toISOString(),
    };
    const response = await callRoute(lifecycle, flowRequest("/flow/lifecycle", body, signWebhookBody("{}")));
    expect(response.status).toBe(400);
    expect(await prisma.flowTriggerSubscription.count({ where: { shop } })).toBe(0);
    const action = await callRoute(
      markTracking,
      flowRequest(
        "/flow/actions/mark-tracking",
        { shopify_domain: shop, properties: {} },
        "bm90IGEgc2lnbmF0dXJl",
      ),
    );
    expect(action.status).toBe(400);
  });

  it("answers an unknown trigger with 422", async () => {
    const shop = await newShop();
    expect((await lifecycleCallback(shop, "no-such-trigger", true)).status).toBe(422);
  });

  it("marks the order's parcel as delivered or exception, only in the calling shop", async () => {
    const shop = await newShop();
    const other = await newShop();
    const parcel = await seedTracking(shop);
    const sibling = await seedTracking(shop);
    const foreign = await seedTracking(other);
    const run = (properties: Record<string, unknown>) =>
      callRoute(
        markTracking,
        flowRequest("/flow/actions/mark-tracking", {
          shop_id: 1,
          shopify_domain: shop,
          action_run_id: "run-1",
          handle: "mark-tracking",
          properties,
        }),
      );
    const ok = await run({
      order_id: 5905126375613,
      "Tracking number": parcel.trackingNumber,
      Status: "Delivered",
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ updated: 1 });
    const rows = await prisma.tracking.findMany({
      where: { id: { in: [parcel.id, sibling.id, foreign.id] } },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(parcel.id)).toMatchObject({ status: "delivered", manualStatus: 4 });
    expect(byId.get(sibling.id)).toMatchObject({ status: "transit", manualStatus: null });
    expect(byId.get(foreign.id)).toMatchObject({ status: "transit", manualStatus: null });

    expect((await run({ order_id: 5905126375613, Status: "lost" })).status).toBe(422);
    expect(
      (
        await run({
          order_id: 5905126375613,
          "Tracking number": foreign.trackingNumber,
          Status: "exception",
        })
      ).status,
    ).toBe(422);
    const all = await run({ order_id: "5905126375613", Status: "exception" });
    expect(await all.json()).toEqual({ updated: 2 });
  });
});
