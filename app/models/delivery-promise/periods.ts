// The carrier performance page's periods, in days: shared by the loader and the period picker
// in the browser (so not in a .server module).
export const PERIODS = [7, 30, 90, 365] as const;
export type PeriodDays = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: PeriodDays = 30;
