import prisma, { type Prisma } from "~/db/client.server";
import { insertStatements, isUniqueConstraintError, newRowId } from "~/db/sql.server";
import { logger } from "~/logger.server";
import { loadCarrierContext } from "~/models/carriers/carriers.server";
import { getShopSettings, type ShopSettingsView } from "~/models/settings.server";
import type { SyncState } from "~/models/tracking-state";
import {
  isAtTrackingMore,
  queueTrackingChanges,
  queueTrackingDeletion,
} from "~/pipeline/change-push/tracking-changes.server";
import { DurableQueue, PermanentFailure, type Claim } from "~/pipeline/queue/durable-queue.server";
import {
  mapFulfillmentToTrackings,
  UnmappableFulfillmentError,
  type FulfillmentMapping,
  type MappingOptions,
  type TrackingDraft,
} from "./mapping.server";
import type { FulfillmentTopic } from "./inbox.server";
import { fulfillmentFields, newTrackingRow } from "./rows.server";
import { parseFulfillmentPayload } from "./shopify-payloads";

// Turns recorded deliveries into Fulfillment and Tracking rows. Deliveries are claimed from the
// inbox with the durable queue (app/pipeline/queue); every step is idempotent, so a delivery
// whose ingest was interrupted (crash, restart) is ingested again when its lease runs out, and
// the write that settles it (processed, payload cleared) is fenced by the claim's token.
//
// One delivery's trouble is its own: a payload that cannot be read is dead-lettered at once
// with the reason; any other error is retried with back-off and dead-lettered after
// `maxAttempts`; neither holds back the deliveries claimed with it.

export const ingestQueue = new DurableQueue({
  stage: "ingest",
  table: "WebhookDelivery",
  key: "webhookId",
  leaseMs: 60_000,
  maxAttempts: 5,
  backoff: { firstMs: 30_000, maxMs: 15 * 60_000 },
});

const log = logger.child({ component: "ingest" });

type TrackingRow = Prisma.TrackingGetPayload<object>;
type TrackingChanges = Parameters<typeof queueTrackingChanges>[2];

const BATCH_SIZE = 50;
/** Values in one `IN (…)` list: far below SQLite's and PostgreSQL's bound-parameter limits. */
const IN_LIST_CHUNK = 500;

interface ClaimedDelivery {
  claim: Claim;
  webhookId: string;
  shop: string;
  topic: FulfillmentTopic;
  payload: string | null;
}

type ParsedDelivery = ClaimedDelivery &
  ({ outcome: "dropped_uninstalled" } | { outcome: "ingested"; mappings: FulfillmentMapping[] });

/** The stage's work: deliveries not yet processed (the queue adds due, unleased, not dead). */
const UNPROCESSED = { sql: `"processedAt" IS NULL`, values: [] };

function chunks<T>(items: T[], size = IN_LIST_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** How long the oldest delivery due for ingest has been waiting; 0 when none is. */
export async function ingestLagMs(now: Date = new Date()): Promise<number> {
  const oldest = await prisma.webhookDelivery.findFirst({
    where: {
      processedAt: null,
      deadAt: null,
      OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
    },
    orderBy: { receivedAt: "asc" },
    select: { receivedAt: true },
  });
  return oldest ? Math.max(0, now.getTime() - oldest.receivedAt.getTime()) : 0;
}

/**
 * One round: claims up to `limit` recorded deliveries and applies them; returns how many it
 * claimed. New fulfillments (the common case) are written in one transaction per shop and
 * round; anything that touches rows we already have (updates, cancellations, a parcel Shopify
 * told us about twice), and any delivery whose batch failed, goes through `applyFulfillment`,
 * one delivery at a time.
 */
export async function ingestPendingDeliveries(options: { limit?: number; now?: Date } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const claims = await ingestQueue.claim({
    where: UNPROCESSED,
    orderBy: `"receivedAt"`,
    limit: options.limit ?? BATCH_SIZE,
    now,
  });
  if (claims.length === 0) return 0;
  const claimOf = new Map(claims.map((claim) => [claim.key, claim]));
  const tokens = [...new Set(claims.map((c) => c.token))];
  const rows = [];
  for (const keys of chunks([...claimOf.keys()])) {
    rows.push(
      ...(await prisma.webhookDelivery.findMany({
        where: { webhookId: { in: keys }, leaseOwner: { in: tokens }, processedAt: null },
        select: { webhookId: true, shop: true, topic: true, payload: true, receivedAt: true },
      })),
    );
  }
  // Oldest first within a shop: a round may hold a fulfillment's create and its update.
  rows.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  const byShop = new Map<string, ClaimedDelivery[]>();
  for (const { receivedAt: _receivedAt, ...row } of rows) {
    const group = byShop.get(row.shop) ?? [];
    group.push({ ...row, topic: row.topic as FulfillmentTopic, claim: claimOf.get(row.webhookId)! });
    byShop.set(row.shop, group);
  }
  // A round with thousands of parcels can outlast one lease: keep it while we work.
  await ingestQueue.whileHeld(claims, async (stillHeld) => {
    for (const [shop, deliveries] of byShop) await ingestShopDeliveries(shop, deliveries, now, stillHeld);
  });
  return claims.length;
}

/** What a log line may say about an error: a database error's message can carry row values. */
function errorSummary(error: unknown): { error: string; code?: unknown } {
  if (!(error instanceof Error)) return { error: typeof error };
  return { error: error.name, code: (error as { code?: unknown }).code };
}

/** Records a failed attempt; unreadable payloads are marked `invalid` as they are dead-lettered. */
async function recordFailure(delivery: ClaimedDelivery, error: unknown, now: Date) {
  const extra = error instanceof PermanentFailure ? { outcome: "invalid" } : {};
  await ingestQueue
    .fail(delivery.claim, error, { now, extra })
    .catch((failError) =>
      log.error(
        { ...errorSummary(failError), shop: delivery.shop, webhookId: delivery.webhookId },
        "could not record a failure",
      ),
    );
}

async function ingestShopDeliveries(
  shop: string,
  deliveries: ClaimedDelivery[],
  now: Date,
  stillHeld: () => Set<string>,
) {
  let context: ShopContext;
  try {
    context = await loadShopContext(shop);
  } catch (error) {
    for (const delivery of deliveries) await recordFailure(delivery, error, now);
    return;
  }
  const parsed: ParsedDelivery[] = [];
  for (const delivery of deliveries) {
    try {
      parsed.push(parseDelivery(delivery, context));
    } catch (error) {
      await recordFailure(delivery, error, now);
    }
  }

  let bulk: ParsedDelivery[] = [];
  let oneByOne: ParsedDelivery[] = parsed;
  try {
    ({ bulk, oneByOne } = await splitNewFromKnown(shop, parsed));
  } catch (error) {
    log.warn({ ...errorSummary(error), shop }, "could not sort deliveries; applying them one by one");
  }
  if (bulk.length > 0) {
    try {
      await writeNewFulfillments(shop, bulk, context.settings, now);
    } catch (error) {
      // One delivery's rows, or a parcel another worker wrote meanwhile, failed the batch: apply
      // each on its own, so the others are done and the culprit fails alone. Deliveries another
      // worker took over are its now.
      if (!isUniqueConstraintError(error))
        log.warn(
          { ...errorSummary(error), shop, deliveries: bulk.length },
          "bulk ingest failed; applying one by one",
        );
      // Settling is fenced either way: if the check fails, try them all.
      const held = await ingestQueue
        .renew(
          bulk.map((d) => d.claim),
          now,
        )
        .catch(() => new Set(bulk.map((d) => d.webhookId)));
      oneByOne = [...bulk.filter((d) => held.has(d.webhookId)), ...oneByOne];
    }
  }
  await ingestQueue.eachItem(
    oneByOne,
    async (delivery) => {
      // A renewal found the claim taken over: the delivery is another worker's now.
      if (!stillHeld().has(delivery.webhookId)) return;
      await applyDelivery(shop, delivery, context.settings, now);
    },
    { now: () => now },
  );
}

/** What the payload says, as drafts; a payload that cannot be read is a PermanentFailure. */
function parseDelivery(delivery: ClaimedDelivery, context: ShopContext): ParsedDelivery {
  // A delivery recorded just before the uninstall landed (sessions are cached briefly).
  if (context.uninstalled) return { ...delivery, outcome: "dropped_uninstalled" };
  const parsed = parseFulfillmentPayload(delivery.topic, delivery.payload);
  if (!parsed.success) throw new PermanentFailure(parsed.reason);
  try {
    const mappings = parsed.fulfillments.map(({ fulfillment, order }) =>
      mapFulfillmentToTrackings(fulfillment, order, context.options),
    );
    return { ...delivery, outcome: "ingested", mappings };
  } catch (error) {
    if (error instanceof UnmappableFulfillmentError)
      throw new PermanentFailure(error.message, { cause: error });
    throw error;
  }
}

/**
 * Which deliveries only add new fulfillments and new parcels (written in bulk), and which touch
 * rows we already have. Looked up in chunks: a fulfillment may carry thousands of numbers.
 */
async function splitNewFromKnown(shop: string, parsed: ParsedDelivery[]) {
  const mappings = parsed.flatMap((d) => (d.outcome === "ingested" ? d.mappings : []));
  const seenFulfillments = new Set<string>();
  const seenNumbers = new Set<string>();
  for (const ids of chunks([...new Set(mappings.map((m) => m.fulfillmentId))])) {
    const known = await prisma.fulfillment.findMany({
      where: { shop, fulfillmentId: { in: ids } },
      select: { fulfillmentId: true },
    });
    for (const f of known) seenFulfillments.add(f.fulfillmentId);
  }
  for (const numbers of chunks([...new Set(mappings.flatMap((m) => m.trackingNumbers))])) {
    const known = await prisma.tracking.findMany({
      where: { shop, trackingNumber: { in: numbers } },
      select: { trackingNumber: true },
    });
    for (const t of known) seenNumbers.add(t.trackingNumber);
  }
  const bulk: ParsedDelivery[] = [];
  const oneByOne: ParsedDelivery[] = [];
  for (const delivery of parsed) {
    const fresh =
      delivery.outcome !== "ingested" ||
      (delivery.topic !== "fulfillments/update" &&
        delivery.mappings.every(
          (m) =>
            m.shopifyStatus !== "cancelled" &&
            !seenFulfillments.has(m.fulfillmentId) &&
            m.trackingNumbers.every((n) => !seenNumbers.has(n)),
        ));
    (fresh ? bulk : oneByOne).push(delivery);
    // Later deliveries in this round that touch the same parcels see them as known.
    if (delivery.outcome === "ingested") {
      for (const m of delivery.mappings) {
        seenFulfillments.add(m.fulfillmentId);
        for (const n of m.trackingNumbers) seenNumbers.add(n);
      }
    }
  }
  return { bulk, oneByOne };
}

function settled(outcome: ParsedDelivery["outcome"], now: Date) {
  return { processedAt: now, outcome, payload: null, lastError: null, leaseOwner: null, leaseUntil: null };
}

/** The careful path: one delivery, applied and settled on its own. */
async function applyDelivery(shop: string, delivery: ParsedDelivery, settings: ShopSettingsView, now: Date) {
  if (delivery.outcome === "ingested") {
    for (const mapping of delivery.mappings) await applyFulfillment(shop, delivery.topic, mapping, settings);
  }
  if ((await ingestQueue.updateFenced([delivery.claim], settled(delivery.outcome, now))) === 0)
    log.warn({ shop, webhookId: delivery.webhookId }, "lease lost before the delivery was settled");
}

/** The deliveries' claims were taken over by another worker: the batch writes nothing. */
class LeaseLostError extends Error {
  override name = "LeaseLostError";
}

/**
 * The bulk path: every new fulfillment and parcel of the deliveries, and their settling, in one
 * transaction. The settling comes first and is fenced: if any delivery's claim was taken over,
 * nothing is written.
 */
async function writeNewFulfillments(
  shop: string,
  deliveries: ParsedDelivery[],
  settings: ShopSettingsView,
  now: Date,
) {
  const mappings = deliveries.flatMap((d) => (d.outcome === "ingested" ? d.mappings : []));
  const stamps = { createdAt: now, updatedAt: now };
  const fulfillments = mappings.map((m) => ({
    id: newRowId(),
    ...stamps,
    shop,
    fulfillmentId: m.fulfillmentId,
    ...fulfillmentFields(m, settings),
  }));
  const trackings = settings.createOnFulfillment
    ? mappings.flatMap((m) =>
        m.drafts.map((draft) => ({
          id: newRowId(),
          ...stamps,
          ...newTrackingRow(shop, draft),
          nextAttemptAt: now,
        })),
      )
    : [];
  const byOutcomeAndToken = new Map<
    string,
    { outcome: ParsedDelivery["outcome"]; token: string; ids: string[] }
  >();
  for (const d of deliveries) {
    const key = `${d.outcome} ${d.claim.token}`;
    const group = byOutcomeAndToken.get(key) ?? { outcome: d.outcome, token: d.claim.token, ids: [] };
    group.ids.push(d.webhookId);
    byOutcomeAndToken.set(key, group);
  }
  // The busiest write of the pipeline, one per shop and round: raw multi-row INSERTs (see
  // insertStatements), chunked under the bound-parameter limits.
  await prisma.$transaction(
    async (tx) => {
      let settledCount = 0;
      for (const { outcome, token, ids } of byOutcomeAndToken.values()) {
        for (const chunk of chunks(ids)) {
          const result = await tx.webhookDelivery.updateMany({
            where: { webhookId: { in: chunk }, leaseOwner: token },
            data: settled(outcome, now),
          });
          settledCount += result.count;
        }
      }
      if (settledCount !== deliveries.length)
        throw new LeaseLostError(
          `${deliveries.length - settledCount} of the round's deliveries were taken over`,
        );
      for (const { sql, values } of [
        ...insertStatements("Fulfillment", fulfillments),
        ...insertStatements("Tracking", trackings),
      ])
        await tx.$executeRawUnsafe(sql, ...values);
    },
    { maxWait: 10_000, timeout: ingestQueue.definition.leaseMs },
  );
}

interface ShopContext {
  settings: ShopSettingsView;
  options: MappingOptions;
  uninstalled: boolean;
}

async function loadShopContext(shop: string): Promise<ShopContext> {
  const [settings, carriers, shopRow] = await Promise.all([
    getShopSettings(shop),
    loadCarrierContext(shop),
    prisma.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } }),
  ]);
  return {
    settings,
    options: {
      orderIdFormat: settings.orderIdFormat,
      titleTemplate: settings.titleTemplate,
      carriers,
    },
    uninstalled: Boolean(shopRow?.uninstalledAt),
  };
}

/** Applies one fulfillment's state; safe to repeat. Exported for the backfill. */
export async function applyFulfillment(
  shop: string,
  topic: FulfillmentTopic | "backfill",
  mapping: FulfillmentMapping,
  settings: ShopSettingsView,
): Promise<{ created: number }> {
  const existing = await prisma.fulfillment.findUnique({
    where: { shop_fulfillmentId: { shop, fulfillmentId: mapping.fulfillmentId } },
  });
  // Shopify delivers late and out of order: a payload older than what we applied changes nothing.
  if (
    existing?.shopifyUpdatedAt &&
    mapping.shopifyUpdatedAt &&
    mapping.shopifyUpdatedAt < existing.shopifyUpdatedAt
  ) {
    return { created: 0 };
  }
  const createDisabled = !settings.createOnFulfillment;
  const fulfillmentData = fulfillmentFields(mapping, settings);
  await prisma.fulfillment.upsert({
    where: { shop_fulfillmentId: { shop, fulfillmentId: mapping.fulfillmentId } },
    create: { shop, fulfillmentId: mapping.fulfillmentId, ...fulfillmentData },
    update: fulfillmentData,
  });

  const current = await prisma.tracking.findMany({ where: { shop, fulfillmentId: mapping.fulfillmentId } });

  if (mapping.shopifyStatus === "cancelled") {
    await applyCancellation(
      shop,
      current.map((t) => t.id),
      settings,
    );
    return { created: 0 };
  }

  // Numbers Shopify no longer lists for this fulfillment (a corrected typo): archive them.
  // Only fulfillments/update speaks for the whole fulfillment; orders/fulfilled may be older.
  if (topic === "fulfillments/update") {
    const listed = new Set(mapping.trackingNumbers);
    const removed = current.filter((t) => !listed.has(t.trackingNumber) && !t.archived);
    if (removed.length > 0)
      await applyCancellation(
        shop,
        removed.map((t) => t.id),
        { ...settings, cancelledFulfillmentAction: "archive" },
      );
  }
  if (createDisabled) return { created: 0 };

  // One parcel is one tracking, whichever topic told us first and whatever carrier we guessed:
  // the oldest row of the number, read in chunks (a fulfillment may carry thousands).
  const existingByNumber = new Map<string, TrackingRow>();
  for (const numbers of chunks(mapping.drafts.map((d) => d.trackingNumber))) {
    const rows = await prisma.tracking.findMany({
      where: { shop, trackingNumber: { in: numbers } },
      orderBy: { createdAt: "asc" },
    });
    for (const row of rows)
      if (!existingByNumber.has(row.trackingNumber)) existingByNumber.set(row.trackingNumber, row);
  }
  // Writes are grouped by what they change: a repeated delivery of a fulfillment with a
  // thousand parcels is a few statements, not a thousand.
  const updates = new Grouped<Prisma.TrackingUpdateManyMutationInput>();
  const pushes = new Grouped<TrackingChanges>();
  let created = 0;
  for (const draft of mapping.drafts) {
    const existing = existingByNumber.get(draft.trackingNumber);
    if (!existing) {
      if (await createTracking(shop, draft)) created += 1;
      continue;
    }
    const plan = planDraftChanges(existing, draft);
    if (plan.local) updates.add(plan.local, existing.id);
    if (plan.push) pushes.add(plan.push, existing.id);
  }
  for (const { value: data, ids } of updates.groups())
    for (const chunk of chunks(ids))
      await prisma.tracking.updateMany({ where: { shop, id: { in: chunk } }, data });
  for (const { value: changes, ids } of pushes.groups())
    for (const chunk of chunks(ids)) await queueTrackingChanges(shop, chunk, changes);
  return { created };
}

/** Values with the ids they apply to, grouped by equal value. */
class Grouped<T> {
  private readonly byKey = new Map<string, { value: T; ids: string[] }>();
  add(value: T, id: string) {
    const key = JSON.stringify(value);
    const group = this.byKey.get(key) ?? { value, ids: [] };
    group.ids.push(id);
    this.byKey.set(key, group);
  }
  groups() {
    return this.byKey.values();
  }
}

async function applyCancellation(shop: string, trackingIds: string[], settings: ShopSettingsView) {
  if (settings.cancelledFulfillmentAction === "keep") return;
  for (const ids of chunks(trackingIds)) {
    if (settings.cancelledFulfillmentAction === "delete") await queueTrackingDeletion(shop, ids);
    else await queueTrackingChanges(shop, ids, { archived: true });
  }
}

const FILLABLE_FIELDS = [
  "orderName",
  "title",
  "customerName",
  "customerEmail",
  "customerPhone",
  "destinationCode",
  "logisticsChannel",
  "orderCreatedAt",
] as const;

/** Returns true when a new tracking row was created. */
async function createTracking(shop: string, draft: TrackingDraft): Promise<boolean> {
  try {
    await prisma.tracking.create({ data: newTrackingRow(shop, draft) });
    return true;
  } catch (error) {
    // A concurrent ingest of the same parcel (orders/fulfilled racing fulfillments/create).
    if (isUniqueConstraintError(error)) return false;
    throw error;
  }
}

/**
 * What a draft changes on the parcel's existing row: `local` is written here; `push` is queued
 * for TrackingMore when it already has the tracking (see queueTrackingChanges).
 */
function planDraftChanges(
  existing: TrackingRow,
  draft: TrackingDraft,
): { local?: Prisma.TrackingUpdateManyMutationInput; push?: TrackingChanges } {
  // Fill what an earlier, thinner payload lacked (fulfillments/create has no order customer).
  const missing: Pick<Prisma.TrackingUpdateManyMutationInput, (typeof FILLABLE_FIELDS)[number]> = {};
  for (const field of FILLABLE_FIELDS) {
    if (existing[field] == null && draft[field] != null) Object.assign(missing, { [field]: draft[field] });
  }
  const carrierChanged =
    draft.carrierCode !== "" &&
    draft.carrierCode !== existing.carrierCode &&
    existing.carrierSource !== "merchant" &&
    // A carrier self-correction switched stays, unless the merchant names another company.
    (existing.carrierSwitches === 0 || draft.trackingCompany !== existing.trackingCompany);
  if (!isAtTrackingMore(existing)) {
    // A repeated delivery (orders/fulfilled after fulfillments/create) often adds nothing.
    if (Object.keys(missing).length === 0 && existing.fulfillmentId && !carrierChanged) return {};
    const local: Prisma.TrackingUpdateManyMutationInput = {
      ...missing,
      fulfillmentId: existing.fulfillmentId ?? draft.fulfillmentId,
    };
    if (carrierChanged)
      Object.assign(local, {
        carrierCode: draft.carrierCode,
        carrierSource: draft.carrierSource,
        trackingCompany: draft.trackingCompany,
        syncState: "pending" satisfies SyncState,
      });
    return { local };
  }
  const push: TrackingChanges = {};
  if (missing.title) push.title = draft.title;
  if (missing.customerName) push.customerName = draft.customerName;
  if (missing.customerEmail) push.customerEmail = draft.customerEmail;
  if (missing.customerPhone) push.customerPhone = draft.customerPhone;
  if (missing.destinationCode) push.destinationCode = draft.destinationCode;
  if (missing.logisticsChannel) push.logisticsChannel = draft.logisticsChannel;
  if (carrierChanged) push.carrierCode = draft.carrierCode;
  return {
    push: Object.keys(push).length > 0 ? push : undefined,
    local:
      missing.orderName || missing.orderCreatedAt
        ? {
            orderName: existing.orderName ?? draft.orderName,
            orderCreatedAt: existing.orderCreatedAt ?? draft.orderCreatedAt,
          }
        : undefined,
  };
}
