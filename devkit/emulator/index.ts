export {
  startEmulator,
  type EmulatorHandle,
  type EmulatorOptions,
  type EmulatorRateLimits,
  type EmulatorStats,
} from "./server";
export type { FaultConfig, FaultKind } from "./faults";
export type { AccountInit } from "./store";
export type { WebhookDelivery } from "./webhooks";
export { plannedOutcome, type Outcome } from "./progression";
export { detectCarriers } from "./carriers";
