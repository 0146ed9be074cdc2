import { describe, expect, it } from "vitest";
import { parseDate, parseTracking } from "../../app/trackingmore";
import {
  parseBatchItems,
  parseStatusCounts,
  parseTrackingPage,
  parseUserInfo,
} from "../../app/trackingmore/parse";
import { createToWire, listQueryToWire, patchToWire } from "../../app/trackingmore/wire";

describe("lenient parsing", () => {
  it.each([
    [0, null],
    ["0", null],
    [null, null],
    ["", null],
    ["garbage", null],
    [1_767_225_600, "2026-01-01T00:00:00.000Z"],
    ["1767225600", "2026-01-01T00:00:00.000Z"],
    [1_767_225_600_000, "2026-01-01T00:00:00.000Z"],
    ["2026-01-01 08:30:00", "2026-01-01T08:30:00.000Z"],
    ["2018-04-18T14:34:30+08:00", "2018-04-18T06:34:30.000Z"],
  ])("reads the date %o as %o", (input, expected) => {
    expect(parseDate(input)?.toISOString() ?? null).toBe(expected);
  });

  it("normalises customer_email given as empty, string, list or comma list", () => {
    expect(parseTracking({ customer_email: "" })).toMatchObject({ customerEmail: null, customerEmails: [] });
    expect(parseTracking({ customer_email: "a@x.com" }).customerEmails).toEqual(["a@x.com"]);
    expect(parseTracking({ customer_email: ["a@x.com", "", "b@x.com"] })).toMatchObject({
      customerEmail: "a@x.com",
      customerEmails: ["a@x.com", "b@x.com"],
    });
    expect(parseTracking({ customer_email: "a@x.com, b@x.com" }).customerEmails).toEqual([
      "a@x.com",
      "b@x.com",
    ]);
  });

  it("reads manual statuses given as number or string, and keeps the raw value", () => {
    expect(parseTracking({ status: "7" })).toMatchObject({ status: "exception", manualStatus: 7 });
    expect(parseTracking({ status: 4 })).toMatchObject({ status: "delivered", manualStatus: 4 });
    expect(parseTracking({ status: "Transit" })).toMatchObject({ status: "transit", manualStatus: null });
    expect(parseTracking({ status: "weird", substatus: "pickup001" }).status).toBe("pickup");
    expect(parseTracking({}).status).toBe("pending");
  });

  it("reads archived and track_update from strings and booleans", () => {
    expect(parseTracking({ archived: "true", track_update: "false" })).toMatchObject({
      archived: true,
      trackUpdate: false,
    });
    expect(parseTracking({ archived: false, track_update: true })).toMatchObject({
      archived: false,
      trackUpdate: true,
    });
    expect(parseTracking({ archived: null }).archived).toBe(false);
  });

  it("merges both legs' checkpoints newest first, tolerating missing legs", () => {
    const t = parseTracking({
      origin_info: {
        trackinfo: [
          {
            Date: "2026-01-02 10:00:00",
            StatusDescription: "Accepted",
            Details: "Shenzhen",
            checkpoint_status: "transit",
          },
        ],
      },
      destination_info: {
        trackinfo: [
          {
            Date: "2026-01-05 09:00:00",
            StatusDescription: "Delivered",
            Details: "Austin",
            checkpoint_status: "delivered",
          },
        ],
      },
      itemTimeLength: "3",
      stayTimeLength: null,
    });
    expect(t.checkpoints.map((c) => [c.description, c.leg])).toEqual([
      ["Delivered", "destination"],
      ["Accepted", "origin"],
    ]);
    expect(t.transitDays).toBe(3);
    expect(t.stayDays).toBeNull();
    expect(parseTracking({ origin_info: null, destination_info: "" }).checkpoints).toEqual([]);
  });

  it("reads string totals, status counts and user info", () => {
    expect(parseTrackingPage({ page: "2", limit: "50", total: "123", items: [] })).toEqual({
      page: 2,
      limit: 50,
      total: 123,
      items: [],
    });
    expect(parseStatusCounts([{ delivered: "3", transit: 1 }])).toMatchObject({
      delivered: 3,
      transit: 1,
      expired: 0,
    });
    expect(
      parseUserInfo({ email: "a@x.com", track_number: "42", money: "1.50", regtime: "2019-01-01 00:00:00" }),
    ).toMatchObject({
      remainingQuota: 42,
      money: 1.5,
    });
  });

  it("reads per-item batch results from trackings[] and errors[]", () => {
    const result = parseBatchItems(
      {
        submitted: "2",
        trackings: [{ tracking_number: "A", carrier_code: "dhl" }],
        errors: [{ tracking_number: "B", carrier_code: "dhl", code: "4017", message: "no" }],
      },
      0,
    );
    expect(result).toEqual({
      submitted: 2,
      succeeded: [{ trackingNumber: "A", carrierCode: "dhl" }],
      errors: [{ trackingNumber: "B", carrierCode: "dhl", code: 4017, message: "no" }],
    });
  });
});

describe("writing the wire format", () => {
  it("converts creates, patches and list queries to snake_case", () => {
    expect(
      createToWire({
        trackingNumber: "A1",
        carrierCode: "dhl",
        orderCreateTime: new Date(Date.UTC(2026, 0, 1)),
        trackingShipDate: new Date(Date.UTC(2026, 0, 2)),
        autoCorrect: true,
        customerEmail: "a@x.com",
      }),
    ).toEqual({
      tracking_number: "A1",
      carrier_code: "dhl",
      order_create_time: 1_767_225_600,
      tracking_ship_date: "20260102",
      auto_correct: 1,
      customer_email: "a@x.com",
    });
    expect(patchToWire({ archived: true, status: 8, logisticsChannel: "4PX挂号小包" })).toEqual({
      archived: "true",
      status: 8,
      logistics_channel: "4PX挂号小包",
    });
    const query = listQueryToWire({
      status: "delivered",
      numbers: ["A", "B"],
      archived: false,
      createdAtMin: new Date(1_767_225_600_000),
    });
    expect(Object.fromEntries(query)).toEqual({
      status: "delivered",
      numbers: "A,B",
      archived: "false",
      created_at_min: "1767225600",
    });
  });
});
