import { startJobs, type BackgroundJob, type BackgroundWork } from "~/pipeline/background.server";
import { backfillJob } from "~/pipeline/backfill/job.server";
import { ingestDeliveriesJob } from "~/pipeline/ingest/job.server";
import { applyTrackingMorePushesJob } from "~/pipeline/push-apply/job.server";
import { reconcileStatusesJob } from "~/pipeline/reconcile/job.server";
import { writeBackEventsJob } from "~/pipeline/write-back/job.server";
import { refreshCarrierListsJob, selfCorrectCarriersJob } from "~/pipeline/carriers/job.server";
import { pushTrackingChangesJob } from "~/pipeline/change-push/job.server";
import { dispatchTrackingsJob } from "~/pipeline/dispatch/job.server";
import { eraseAtTrackingMoreJob } from "~/pipeline/erasure/job.server";
import { pruneRetainedRowsJob } from "~/pipeline/retention/job.server";
import { trackingUrlJob } from "~/pipeline/tracking-url/job.server";
import { flowTriggersJob } from "~/pipeline/flow-triggers/job.server";
import {
  deliveryPromisesJob,
  remoteAreasJob,
  transitTimesJob,
} from "~/pipeline/delivery-promises/job.server";

// The one list of background work: each pipeline stage owns its job (app/pipeline/<stage>);
// this file only registers them.

/** Every background job of the app. */
export function backgroundJobs(): BackgroundJob[] {
  return [
    ingestDeliveriesJob(),
    dispatchTrackingsJob(),
    pushTrackingChangesJob(),
    applyTrackingMorePushesJob(),
    reconcileStatusesJob(),
    writeBackEventsJob(),
    backfillJob(),
    refreshCarrierListsJob(),
    selfCorrectCarriersJob(),
    eraseAtTrackingMoreJob(),
    pruneRetainedRowsJob(),
    trackingUrlJob(),
    flowTriggersJob(),
    deliveryPromisesJob(),
    transitTimesJob(),
    remoteAreasJob(),
  ];
}

export function startBackgroundWork(): BackgroundWork {
  return startJobs(backgroundJobs());
}
