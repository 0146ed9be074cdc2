import { startJobs, type BackgroundJob, type BackgroundWork } from "./background.server";
import { backfillJob } from "./backfill.server";
import { dispatchTrackingsJob, ingestDeliveriesJob } from "./fulfillment-pipeline.server";
import { pushTrackingChangesJob } from "./push-tracking-changes.server";
import { applyTrackingMorePushesJob } from "./apply-trackingmore-pushes.server";
import { reconcileStatusesJob } from "./reconcile-statuses.server";
import { writeBackEventsJob } from "./write-back-events.server";
import { deliveryPromisesJob, remoteAreasJob, transitTimesJob } from "./delivery-promises.server";

/** Every background job of the app. Each feature adds its job here. */
export function backgroundJobs(): BackgroundJob[] {
  return [
    ingestDeliveriesJob(),
    dispatchTrackingsJob(),
    pushTrackingChangesJob(),
    applyTrackingMorePushesJob(),
    reconcileStatusesJob(),
    writeBackEventsJob(),
    backfillJob(),
    deliveryPromisesJob(),
    transitTimesJob(),
    remoteAreasJob(),
  ];
}

export function startBackgroundWork(): BackgroundWork {
  return startJobs(backgroundJobs());
}
