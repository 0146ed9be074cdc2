import { GraphqlQueryError, HttpResponseError, HttpThrottlingError } from "@shopify/shopify-api";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { adminRequest, type AdminGraphql, type GraphqlBody } from "~/graphql/client";
import { FULFILLMENT_EVENT_CREATE, FULFILLMENT_EVENTS } from "~/graphql/fulfillment-events";
import type {
  FulfillmentEventStatus,
  TrackBridgeFulfillmentEventCreateMutation,
  TrackBridgeFulfillmentEventCreateMutationVariables,
  TrackBridgeFulfillmentEventsQuery,
  TrackBridgeFulfillmentEventsQueryVariables,
} from "~/graphql/generated/admin.types";

// The Admin API side of write-back: the mutation, the "did Shopify already get it?" check,
// and what each of Shopify's failures means for a record.

export type { AdminGraphql };

export function fulfillmentGid(fulfillmentId: string): string {
  return fulfillmentId.startsWith("gid://") ? fulfillmentId : `gid://shopify/Fulfillment/${fulfillmentId}`;
}

export interface FulfillmentEventInput {
  fulfillmentId: string;
  status: string;
  happenedAt: Date;
  message: string | null;
  city: string | null;
  province: string | null;
  country: string | null;
  zip: string | null;
  estimatedDeliveryAt: Date | null;
}

export function eventInputVariables(
  event: FulfillmentEventInput,
): TrackBridgeFulfillmentEventCreateMutationVariables {
  const input: TrackBridgeFulfillmentEventCreateMutationVariables["fulfillmentEvent"] = {
    fulfillmentId: fulfillmentGid(event.fulfillmentId),
    status: event.status as FulfillmentEventStatus,
    happenedAt: event.happenedAt.toISOString(),
  };
  if (event.message) input.message = event.message;
  if (event.city) input.city = event.city;
  if (event.province) input.province = event.province;
  if (event.country) input.country = event.country;
  if (event.zip) input.zip = event.zip;
  if (event.estimatedDeliveryAt) input.estimatedDeliveryAt = event.estimatedDeliveryAt.toISOString();
  return { fulfillmentEvent: input };
}

interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface CostExtension {
  requestedQueryCost?: number;
  throttleStatus?: ThrottleStatus;
}

/** What a call costs us: how long the shop should wait before the next call (0 = none). */
export function throttleWaitMs(extensions: unknown, nextCost?: number): number {
  const cost = (extensions as { cost?: CostExtension } | undefined)?.cost;
  const status = cost?.throttleStatus;
  if (!status || !(status.restoreRate > 0)) return 0;
  const needed = nextCost ?? cost?.requestedQueryCost ?? 10;
  if (status.currentlyAvailable >= needed) return 0;
  return Math.ceil(((needed - status.currentlyAvailable) / status.restoreRate) * 1000);
}

export type ShopifyOutcome =
  | { kind: "sent"; eventId: string; waitMs: number }
  | { kind: "throttled"; waitMs: number; reason: string }
  | { kind: "failed"; reason: string }
  | { kind: "retry"; reason: string };

interface GraphqlErrorLike {
  message?: string;
  extensions?: { code?: string };
}

const DEFAULT_THROTTLE_WAIT_MS = 2_000;

/** Classifies anything the Admin API client threw. */
export function outcomeOfError(error: unknown): ShopifyOutcome {
  if (error instanceof SessionNotFoundError) {
    return { kind: "retry", reason: "no offline session for the shop (app not installed?)" };
  }
  if (error instanceof GraphqlQueryError) {
    const body = error.body as
      { errors?: { graphQLErrors?: GraphqlErrorLike[] }; extensions?: unknown } | undefined;
    const errors = body?.errors?.graphQLErrors ?? [];
    const codes = errors.map((e) => e.extensions?.code);
    const message =
      errors
        .map((e) => e.message)
        .filter(Boolean)
        .join("; ") || error.message;
    if (codes.includes("THROTTLED")) {
      return {
        kind: "throttled",
        waitMs: Math.max(throttleWaitMs(body?.extensions), 1_000),
        reason: `Shopify throttled the call: ${message}`,
      };
    }
    if (codes.includes("ACCESS_DENIED")) {
      return {
        kind: "failed",
        reason: `Missing access scope write_fulfillments (ACCESS_DENIED): ${message}`,
      };
    }
    return { kind: "failed", reason: `Shopify refused the event: ${message}` };
  }
  if (error instanceof HttpThrottlingError) {
    const retryAfter = error.response.retryAfter;
    return {
      kind: "throttled",
      waitMs: retryAfter ? retryAfter * 1000 : DEFAULT_THROTTLE_WAIT_MS,
      reason: "Shopify answered 429 Too Many Requests",
    };
  }
  if (error instanceof HttpResponseError) {
    const code = error.response.code;
    if (code === 403)
      return { kind: "failed", reason: "Shopify answered 403: the app may not write fulfillments" };
    if (code === 404) return { kind: "failed", reason: "Shopify answered 404: the shop is not reachable" };
    return { kind: "retry", reason: `Shopify answered HTTP ${code}` };
  }
  return { kind: "retry", reason: error instanceof Error ? error.message : String(error) };
}

const NOT_FOUND = /not (be )?found|does not exist|doesn't exist|could not find|invalid id/i;

/** Sends one event; never throws for Shopify's answers, only classifies them. */
export async function createFulfillmentEvent(
  admin: AdminGraphql,
  event: FulfillmentEventInput,
): Promise<ShopifyOutcome> {
  let json: GraphqlBody<TrackBridgeFulfillmentEventCreateMutation>;
  try {
    json = await adminRequest<
      TrackBridgeFulfillmentEventCreateMutation,
      TrackBridgeFulfillmentEventCreateMutationVariables
    >(admin, FULFILLMENT_EVENT_CREATE, eventInputVariables(event));
  } catch (error) {
    return outcomeOfError(error);
  }
  const payload = json.data?.fulfillmentEventCreate;
  const userErrors = payload?.userErrors ?? [];
  if (userErrors.length > 0) {
    const message = userErrors.map((e) => e.message).join("; ");
    return NOT_FOUND.test(message)
      ? { kind: "failed", reason: `The fulfillment no longer exists in Shopify: ${message}` }
      : { kind: "failed", reason: `Shopify refused the event: ${message}` };
  }
  const id = payload?.fulfillmentEvent?.id;
  if (!id) return { kind: "retry", reason: "Shopify answered without an event" };
  return { kind: "sent", eventId: id, waitMs: throttleWaitMs(json.extensions) };
}

/**
 * After an attempt whose answer was lost (crash, timeout), Shopify may already have the
 * event: look for it before sending again, so it is written once.
 */
export async function findExistingEvent(
  admin: AdminGraphql,
  fulfillmentId: string,
  status: string,
): Promise<{ found: string | null } | ShopifyOutcome> {
  try {
    const json = await adminRequest<
      TrackBridgeFulfillmentEventsQuery,
      TrackBridgeFulfillmentEventsQueryVariables
    >(admin, FULFILLMENT_EVENTS, { id: fulfillmentGid(fulfillmentId) });
    const fulfillment = json.data?.fulfillment;
    if (fulfillment === null)
      return { kind: "failed", reason: "The fulfillment no longer exists in Shopify" };
    const match = fulfillment?.events?.nodes?.find((e) => e.status === status);
    return { found: match?.id ?? null };
  } catch (error) {
    return outcomeOfError(error);
  }
}
