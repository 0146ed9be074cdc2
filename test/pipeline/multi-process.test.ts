import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { root } from "../../scripts/lib/app-server";
import {
  CLUSTER_SHOP,
  clusterDeliveries,
  createCounts,
  deliverAll,
  startCluster,
  type Cluster,
} from "../../scripts/lib/cluster";
import { InProcessRateGate } from "~/trackingmore";
import { trackingMoreRateGate } from "~/trackingmore.server";
import { testProvider } from "../support/databases";

// Issue 10's operator scenario on PostgreSQL, the set-up for shops that outgrow one machine:
// one web process and three `npm run worker` processes draining 5,000 trackings from one
// TrackingMore account (the emulator, its rate limits on) while it answers 10 % of calls with
// a 5xx, loses 5 % of its answers and throws one 429. Counted at TrackingMore: every item sent
// once, none lost, and no 429 but the injected one. Needs the built app (`npm test` builds).

const TRACKINGS = 5_000;
const DRAIN_TIMEOUT_MS = 240_000;

if (testProvider() === "postgresql") {
  describe("1 web + 3 workers on PostgreSQL", () => {
    let cluster: Cluster | undefined;
    afterAll(async () => {
      await cluster?.stop();
    });

    it(
      "sends each of 5,000 trackings to TrackingMore exactly once under faults, within its rate limits",
      async () => {
        cluster = await startCluster({
          databaseUrl: process.env.DATABASE_URL!,
          workers: 3,
          logDir: path.join(root, ".test-output", `multi-process-${process.pid}`),
          // The injected 429 pauses the account for every process; seconds, not minutes, here.
          env: { TRACKINGMORE_PAUSE_AFTER_429_MS: "3000" },
        });
        await cluster.emulator.setFaults({
          error500: 0.05,
          error503: 0.05,
          dropAfter: 0.05,
          seed: 10,
          next: ["ok", "ok", "ok", "429"],
        });
        const { deliveries, numbers } = clusterDeliveries(TRACKINGS);
        await deliverAll(cluster.app, deliveries);

        const deadline = Date.now() + DRAIN_TIMEOUT_MS;
        let synced = 0;
        while (Date.now() < deadline) {
          synced = await prisma.tracking.count({ where: { shop: CLUSTER_SHOP, syncState: "synced" } });
          if (synced === TRACKINGS) break;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
        const counts = await createCounts(cluster.emulator, numbers);
        const dead = await prisma.tracking.count({ where: { shop: CLUSTER_SHOP, deadAt: { not: null } } });

        expect(counts.injected["429"]).toBe(1);
        expect(counts.injected["500"] + counts.injected["503"]).toBeGreaterThan(0);
        expect(counts.injected.dropAfter).toBeGreaterThan(0);
        expect({ synced, dead, ...counts, injected: undefined }).toEqual({
          synced: TRACKINGS,
          dead: 0,
          duplicateItems: 0,
          missing: 0,
          createCalls: counts.createCalls,
          genuine429s: 0,
          injected: undefined,
        });
        expect(await prisma.tracking.count({ where: { shop: CLUSTER_SHOP } })).toBe(TRACKINGS);
      },
      DRAIN_TIMEOUT_MS + 120_000,
    );
  });
} else {
  // The embedded set-up runs one process: the gate is that process's own limiter.
  describe("one process on SQLite", () => {
    it("takes TrackingMore's turns through the process's own limiter, not the database", () => {
      expect(trackingMoreRateGate()).toBeInstanceOf(InProcessRateGate);
    });
  });
}
