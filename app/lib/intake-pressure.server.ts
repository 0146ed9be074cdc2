// Webhook bursts (hundreds of fulfillments at once) compete for the one event loop with the
// background jobs that turn them into trackings. The senders are waiting for their answer and
// the jobs are not, so while deliveries keep arriving the jobs take fewer turns (see
// background.server.ts); the backlog they leave is cleared as soon as the burst ends.

let lastArrivalAt = -Infinity;

/** A request someone is waiting on has arrived (the webhook fast lane calls this). */
export function noteIntake(): void {
  lastArrivalAt = performance.now();
}

/** Milliseconds since the last such request. */
export function msSinceIntake(): number {
  return performance.now() - lastArrivalAt;
}

/** Deliveries are still arriving: the last one came within this many milliseconds. */
export const INTAKE_BUSY_WITHIN_MS = 50;

export function intakeIsBusy(): boolean {
  return msSinceIntake() < INTAKE_BUSY_WITHIN_MS;
}
