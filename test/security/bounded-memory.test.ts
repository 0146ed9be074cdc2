import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { batchedCalls, CallQueueFullError } from "~/lib/batched-calls.server";
import { cachedSessionCount, SESSION_CACHE_MAX } from "~/lib/session-cache.server";
import { pruneRetainedRows } from "~/pipeline/retention/retention.server";
import { sessionStorage } from "~/shopify.server";
import type { AppServer } from "../../scripts/lib/app-server";
import { installShop } from "../support/pipeline";
import { fulfillmentPayload } from "../../devkit/shopify";
import { signWebhookBody } from "../support/shopify";
import { startProductionServer } from "./server";

// Nothing a sender controls grows memory without bound: the session cache evicts, the group
// commit queue refuses past its cap (503 + Retry-After, which Shopify retries), and old rows
// are pruned after the retention period.
const DAY = 86_400_000;

describe("the session cache", () => {
  it("holds at most SESSION_CACHE_MAX entries, however many ids are asked for", async () => {
    for (let i = 0; i < SESSION_CACHE_MAX + 200; i++) {
      await sessionStorage.loadSession(`offline_nobody-${i}.myshopify.com`);
    }
    expect(cachedSessionCount()).toBeLessThanOrEqual(SESSION_CACHE_MAX);
    expect(cachedSessionCount()).toBeGreaterThan(0);
  }, 60_000);
});

describe("the group-commit queue", () => {
  it("refuses a call past its cap at once, and takes calls again once the queue drains", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const call = batchedCalls(
      async (inputs: number[]) => {
        await gate;
        return inputs.map((n) => n * 2);
      },
      { maxPending: () => 3 },
    );
    const accepted = [call(1), call(2), call(3)];
    await expect(call(4)).rejects.toBeInstanceOf(CallQueueFullError);
    release();
    expect(await Promise.all(accepted)).toEqual([2, 4, 6]);
    expect(await call(5)).toBe(10);
  });

  describe("over HTTP, on the production server with a cap of 1", () => {
    const shop = "queue-cap.myshopify.com";
    let server: AppServer;
    beforeAll(async () => {
      await installShop(shop);
      server = await startProductionServer({ TRACKBRIDGE_MAX_PENDING_WRITES: "1" });
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    it("answers a burst past the cap 503 with Retry-After, keeping exactly the deliveries it answered 200", async () => {
      const bodies = Array.from({ length: 40 }, () => JSON.stringify(fulfillmentPayload()));
      const answers = await Promise.all(
        bodies.map((body, i) =>
          fetch(`${server.url}/webhooks/fulfillments/create`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-shopify-topic": "fulfillments/create",
              "x-shopify-shop-domain": shop,
              "x-shopify-api-version": "2026-10",
              "x-shopify-webhook-id": `queue-cap-${i}`,
              "x-shopify-hmac-sha256": signWebhookBody(body),
            },
            body,
          }).then((r) => ({
            id: `queue-cap-${i}`,
            status: r.status,
            retryAfter: r.headers.get("retry-after"),
          })),
        ),
      );
      const busy = answers.filter((a) => a.status === 503);
      const ok = answers.filter((a) => a.status === 200);
      expect(busy.length + ok.length).toBe(40);
      expect(busy.length).toBeGreaterThan(0);
      expect(ok.length).toBeGreaterThan(0);
      expect(new Set(busy.map((a) => a.retryAfter))).toEqual(new Set(["5"]));
      const kept = await prisma.webhookDelivery.findMany({ where: { shop }, select: { webhookId: true } });
      expect(kept.map((k) => k.webhookId).sort()).toEqual(ok.map((a) => a.id).sort());
    });
  });
});

describe("retention", () => {
  it("prunes processed inbox rows, old pushes and closed replay windows, and nothing newer", async () => {
    const now = new Date();
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const shop = "retention.myshopify.com";
    await prisma.webhookDelivery.createMany({
      data: [
        {
          webhookId: "ret-old-done",
          shop,
          topic: "fulfillments/create",
          receivedAt: ago(40),
          processedAt: ago(31),
        },
        {
          webhookId: "ret-new-done",
          shop,
          topic: "fulfillments/create",
          receivedAt: ago(29),
          processedAt: ago(29),
        },
        {
          webhookId: "ret-old-waiting",
          shop,
          topic: "fulfillments/create",
          receivedAt: ago(40),
          payload: "{}",
        },
      ],
    });
    await prisma.trackingMorePush.createMany({
      data: [
        { carrierCode: "ups", trackingNumber: "RET-OLD", shops: "[]", data: "{}", receivedAt: ago(31) },
        { carrierCode: "ups", trackingNumber: "RET-NEW", shops: "[]", data: "{}", receivedAt: ago(1) },
      ],
    });
    await prisma.trackingMorePushSeen.createMany({
      data: [
        { key: "ret-closed", expiresAt: ago(0.01) },
        { key: "ret-open", expiresAt: new Date(now.getTime() + 60_000) },
      ],
    });

    expect(await pruneRetainedRows({ now })).toEqual({ deliveries: 1, pushes: 1, pushSightings: 1 });
    expect(
      (await prisma.webhookDelivery.findMany({ where: { shop } })).map((d) => d.webhookId).sort(),
    ).toEqual(["ret-new-done", "ret-old-waiting"]);
    expect((await prisma.trackingMorePush.findMany()).map((p) => p.trackingNumber)).toEqual(["RET-NEW"]);
    expect((await prisma.trackingMorePushSeen.findMany()).map((s) => s.key)).toEqual(["ret-open"]);
    expect(await pruneRetainedRows({ now, retentionDays: 7 })).toEqual({
      deliveries: 1,
      pushes: 0,
      pushSightings: 0,
    });
  });
});
