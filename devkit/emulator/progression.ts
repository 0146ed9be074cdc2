// Deterministic shipment life cycles. Everything about a shipment's story (outcome, pace,
// places) follows from a hash of carrier + number, so the same number tells the same story in
// every test run; tests move through it with clock.advance().
import { stableHash } from "./hash";

export type Outcome = "delivered" | "undelivered" | "exception" | "expired" | "notfound";
export type Milestone =
  | "ItemReceived"
  | "ItemDispatched"
  | "DepartfromAirport"
  | "ArrivalfromAbroad"
  | "CustomsClearance"
  | "DestinationArrived";

export interface PlannedEvent {
  offsetMs: number;
  status: string;
  substatus: string | null;
  description: string;
  location: string;
  leg: "origin" | "destination";
  milestones: Milestone[];
}

export interface Plan {
  outcome: Outcome;
  /** Sorted by offsetMs. Before the first event the shipment is "pending". */
  events: PlannedEvent[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const ORIGIN_CITIES = ["Shenzhen, CN", "Guangzhou, CN", "Yiwu, CN", "Shanghai, CN", "Hong Kong, HK"];
const DESTINATION_CITIES = [
  "Memphis, US",
  "Louisville, US",
  "Chicago, US",
  "Los Angeles, US",
  "New York, US",
];

/**
 * Test numbers can force an ending by carrying a marker: DLV, UND, EXC, EXP or NFD
 * (e.g. "EXC0000001"). Other numbers get a stable, hash-chosen ending, roughly 70 % delivered.
 */
const MARKERS: [string, Outcome][] = [
  ["DLV", "delivered"],
  ["UND", "undelivered"],
  ["EXC", "exception"],
  ["EXP", "expired"],
  ["NFD", "notfound"],
];

export function plannedOutcome(carrierCode: string, trackingNumber: string): Outcome {
  const upper = trackingNumber.toUpperCase();
  for (const [marker, outcome] of MARKERS) if (upper.includes(marker)) return outcome;
  const bucket = stableHash(`${carrierCode}/${trackingNumber}`) % 100;
  if (bucket < 70) return "delivered";
  if (bucket < 78) return "undelivered";
  if (bucket < 86) return "exception";
  if (bucket < 93) return "expired";
  return "notfound";
}

/** Postal shipments expire after 60 days without delivery, express after 30 (per the docs). */
export function planFor(carrierCode: string, trackingNumber: string, postal: boolean): Plan {
  const outcome = plannedOutcome(carrierCode, trackingNumber);
  const hash = stableHash(`plan:${carrierCode}/${trackingNumber}`);
  const pace = 1 + (hash % 40) / 100;
  const from = ORIGIN_CITIES[hash % ORIGIN_CITIES.length];
  const to = DESTINATION_CITIES[(hash >>> 8) % DESTINATION_CITIES.length];
  const at = (hours: number) => Math.round(hours * pace * HOUR);
  const expiresAt = (postal ? 60 : 30) * DAY;

  const ev = (
    hours: number,
    status: string,
    substatus: string | null,
    description: string,
    leg: PlannedEvent["leg"],
    milestones: Milestone[] = [],
  ): PlannedEvent => ({
    offsetMs: at(hours),
    status,
    substatus,
    description,
    location: leg === "origin" ? from : to,
    leg,
    milestones,
  });

  if (outcome === "notfound") {
    return {
      outcome,
      events: [
        ev(0.5, "notfound", "notfound002", "No tracking information available yet", "origin"),
        {
          ...ev(0, "expired", null, "No information within the tracking period; tracking expired", "origin"),
          offsetMs: expiresAt,
        },
      ],
    };
  }

  const journey: PlannedEvent[] = [
    ev(0.5, "notfound", "notfound001", "Shipment information received, awaiting item", "origin"),
    ev(6, "transit", "transit001", "Item accepted by carrier", "origin", ["ItemReceived"]),
    ev(20, "transit", "transit002", "Arrived at sorting hub", "origin"),
    ev(30, "transit", "transit001", "Departed from origin country", "origin", [
      "ItemDispatched",
      "DepartfromAirport",
    ]),
    ev(60, "transit", "transit004", "Arrived in destination country", "destination", ["ArrivalfromAbroad"]),
  ];
  switch (outcome) {
    case "exception":
      return {
        outcome,
        events: [...journey, ev(72, "exception", "exception006", "Held by customs", "destination")],
      };
    case "expired":
      return {
        outcome,
        events: [
          ...journey.slice(0, 3),
          {
            ...ev(0, "expired", null, "No further updates; tracking expired", "origin"),
            offsetMs: expiresAt,
          },
        ],
      };
    default: {
      const lastMile = [
        ev(72, "transit", "transit005", "Customs clearance completed", "destination", ["CustomsClearance"]),
        ev(90, "transit", "transit003", "Arrived at delivery facility", "destination", [
          "DestinationArrived",
        ]),
        ev(100, "pickup", "pickup001", "Out for delivery", "destination"),
      ];
      const final =
        outcome === "delivered"
          ? ev(106, "delivered", "delivered001", "Delivered", "destination")
          : ev(
              106,
              "undelivered",
              "undelivered001",
              "Delivery attempt failed: recipient not available",
              "destination",
            );
      return { outcome, events: [...journey, ...lastMile, final] };
    }
  }
}

/** Events that have happened after `elapsedMs` since creation, oldest first. */
export function reachedEvents(plan: Plan, elapsedMs: number): PlannedEvent[] {
  let count = 0;
  while (count < plan.events.length && plan.events[count].offsetMs <= elapsedMs) count++;
  return plan.events.slice(0, count);
}
