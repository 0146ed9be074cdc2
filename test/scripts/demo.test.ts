import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TrackingMoreClient, type Tracking } from "~/trackingmore";
import { DEMO_SHOP, DEMO_TRACKINGMORE_KEY } from "../../scripts/lib/demo-deliveries";
import { withDemoRuns } from "../support/demo";

// `npm run demo -- --exit` against an emulator this test owns, so what TrackingMore holds is
// read here, not taken from the demo's own report. Needs the production build (npm test builds).

const demo = withDemoRuns("demo");

describe("npm run demo", () => {
  it("creates every parcel at TrackingMore exactly once, with order and customer, and explains what stayed local", async () => {
    const resultFile = path.join(demo.workDir(), "result.json");
    const { code, output } = await demo.run([
      "--exit",
      "--no-build",
      "--port",
      "0",
      "--db",
      path.join(demo.workDir(), "demo.sqlite"),
      "--emulator",
      demo.emulator().baseUrl,
      "--result",
      resultFile,
    ]);
    expect(code, output).toBe(0);

    const client = new TrackingMoreClient({
      apiKey: DEMO_TRACKINGMORE_KEY,
      baseUrl: demo.emulator().baseUrl,
    });
    const { items } = await client.listTrackings({ limit: 2000 });
    const byNumber = new Map<string, Tracking[]>();
    for (const t of items) byNumber.set(t.trackingNumber, [...(byNumber.get(t.trackingNumber) ?? []), t]);
    expect([...byNumber.keys()].sort()).toEqual(
      [
        "1234567890",
        "1Z4E7A290312345678",
        "1Z999AA10123456784",
        "794644790132",
        "794644790145",
        "9400111899223197428490",
        "JJD000390007788990011",
        "JJD000390007788990022",
      ].sort(),
    );
    for (const [number, copies] of byNumber) expect(copies, number).toHaveLength(1);
    const one = (number: string) => byNumber.get(number)![0];

    // Single parcel, also named by orders/fulfilled: one tracking with the order and customer.
    expect(one("1Z999AA10123456784")).toMatchObject({
      carrierCode: "ups",
      orderId: "#1001",
      customerName: "Ada Lovelace",
      customerEmail: "ada@example.com",
      customerPhone: "+1 415-555-0101",
      destinationCode: "US",
      archived: false,
    });
    expect(one("1Z999AA10123456784").title).toContain("Merino Wool Sweater");
    // Two parcels of one fulfillment, the delivery repeated with the same webhook id.
    for (const number of ["794644790132", "794644790145"]) {
      expect(one(number)).toMatchObject({
        carrierCode: "fedex",
        orderId: "#1002",
        customerName: "Grace Hopper",
      });
    }
    // Unknown company, UPS-shaped number: detected.
    expect(one("1Z4E7A290312345678")).toMatchObject({
      carrierCode: "ups",
      orderId: "#1003",
      destinationCode: "BG",
    });
    // Cancelled after it was created: archived (the default cancelled-fulfillment action).
    expect(one("9400111899223197428490")).toMatchObject({
      carrierCode: "usps",
      orderId: "#1005",
      archived: true,
    });
    // Customer email and phone withheld by Shopify: absent, not "null" strings.
    expect(one("1234567890")).toMatchObject({ carrierCode: "dhl", customerEmail: null, customerPhone: null });

    // Six parcels fit one batch each time; nothing was created one by one.
    const calls = demo.emulator().stats().calls[DEMO_TRACKINGMORE_KEY];
    expect(calls["POST /trackings/post"] ?? 0).toBe(0);
    expect(calls["POST /trackings/batch"]).toBeGreaterThanOrEqual(1);

    const result = JSON.parse(readFileSync(resultFile, "utf8")) as {
      adminStatus: number;
      problems: string[];
      local: { order: string; number: string; state: string; why: string }[];
    };
    expect(result.problems).toEqual([]);
    expect(result.adminStatus).toBe(200);
    expect(result.local).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ order: "#1004", state: "no number" }),
        expect.objectContaining({ order: "#1006", number: "NBC-000123", state: "needs_carrier" }),
      ]),
    );
    expect(result.local).toHaveLength(2);

    // What the operator sees.
    expect(output).toContain("TrackingMore now has 8 trackings");
    // The German shop's "DHL" is DHL Paket; the parcel sent as DHL Express was self-corrected.
    expect(one("JJD000390007788990011").carrierCode).toBe("dhl-germany");
    expect(one("JJD000390007788990022").carrierCode).toBe("dhl-germany");
    expect(one("JJD000390007788990022").status).not.toBe("notfound");
    expect(output).toMatch(/#1009 JJD000390007788990022: not found as DHL; detection says Deutsche Post DHL/);
    expect(output).toMatch(
      new RegExp(`/app\\?embedded=1&shop=${DEMO_SHOP.replace(/\./g, "\\.")}&host=[^&]+&id_token=`),
    );
  }, 120_000);
});
