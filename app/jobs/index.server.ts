import { startJobs, type BackgroundJob, type BackgroundWork } from "./background.server";
import { backfillJob } from "../pipeline/backfill/job.server";
import { dispatchTrackingsJob, ingestDeliveriesJob } from "../pipeline/ingest/job.server";
import { pushTrackingChangesJob } from "../pipeline/change-push/push-changes.server";
import { applyTrackingMorePushesJob } from "../pipeline/push-apply/job.server";
import { reconcileStatusesJob } from "../pipeline/reconcile/job.server";
import { writeBackEventsJob } from "../pipeline/write-back/job.server";

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
  ];
}

export function startBackgroundWork(): BackgroundWork {
  return startJobs(backgroundJobs());
}
