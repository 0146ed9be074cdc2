// The periods, in days, a page's figures can cover: shared by the loaders and the period picker in
// the browser (so not in a .server module). A period comes from the URL's `period`.

/** The carrier performance page: a year costs what a month does (it reads the daily rollup). */
export const ANALYTICS_PERIODS = [7, 30, 90, 365] as const;
export type AnalyticsPeriod = (typeof ANALYTICS_PERIODS)[number];

/** The dashboard: the trackings created in the period, counted from the rows. */
export const DASHBOARD_PERIODS = [7, 30, 90] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number];

/** Both pages open on the last 30 days. */
export const DEFAULT_PERIOD = 30;

/** One of `periods`, or DEFAULT_PERIOD for anything else. */
export function parsePeriod<P extends number>(value: string | null, periods: readonly P[]): P {
  const n = Number(value);
  return (periods as readonly number[]).includes(n) ? (n as P) : (DEFAULT_PERIOD as P);
}
