import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import type { AppServer } from "../../scripts/lib/app-server";
import { seedShop, seedTracking } from "../status/helpers";
import { signedPushBody, wireTracking } from "../../devkit/trackingmore-wire";
import { startProductionServer } from "./server";

// TrackingMore signs only timeStr, so a captured push verifies again while its timeStr is fresh.
// Probed against the production server (scripts/serve.mjs: the fast lane answers pushes).
const email = "owner@replay.example";
const shop = "push-replay.myshopify.com";
let server: AppServer;

beforeAll(async () => {
  await seedShop(shop, { email });
  await seedTracking(shop, "REPLAY0001");
  await seedTracking(shop, "REPLAY0002");
  server = await startProductionServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const push = (body: string) => fetch(`${server.url}/webhooks/trackingmore`, { method: "POST", body });

describe("TrackingMore pushes against the production server", () => {
  it("takes a push once: the same push again inside the freshness window is 200 and changes nothing", async () => {
    const body = signedPushBody(email, wireTracking({ trackingNumber: "REPLAY0001", status: "transit" }));
    const first = await push(body);
    const replays = await Promise.all([push(body), push(body)]);
    const later = await push(body);

    for (const answer of [first, ...replays, later]) {
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ result: "received" });
    }
    expect(await prisma.trackingMorePush.count({ where: { trackingNumber: "REPLAY0001" } })).toBe(1);
  });

  it("answers an unknown number, a bad signature and an accepted push alike", async () => {
    const timeStr = String(Math.floor(Date.now() / 1000));
    const answers = await Promise.all(
      [
        signedPushBody(email, wireTracking({ trackingNumber: "REPLAY0002", status: "transit" }), timeStr),
        signedPushBody(email, wireTracking({ trackingNumber: "NOT-OURS-0001", status: "transit" }), timeStr),
        signedPushBody(
          "forger@x.example",
          wireTracking({ trackingNumber: "REPLAY0002", status: "delivered" }),
        ),
        JSON.stringify({ data: wireTracking({ trackingNumber: "REPLAY0002", status: "delivered" }) }),
      ].map(async (body) => {
        const answer = await push(body);
        return { status: answer.status, type: answer.headers.get("content-type"), body: await answer.text() };
      }),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual({ status: 200, type: "application/json", body: '{"result":"received"}' });
    const kept = await prisma.trackingMorePush.findMany({
      where: { trackingNumber: { in: ["REPLAY0002", "NOT-OURS-0001"] } },
    });
    expect(kept.map((k) => JSON.parse(k.data).status)).toEqual(["transit"]);
  });
});
