import { startJobs, type BackgroundJob, type BackgroundWork } from "./background.server";

/** Every background job of the app. Each feature adds its job here. */
export function backgroundJobs(): BackgroundJob[] {
  return [];
}

export function startBackgroundWork(): BackgroundWork {
  return startJobs(backgroundJobs());
}
