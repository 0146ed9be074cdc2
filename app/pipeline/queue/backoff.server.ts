/**
 * How long a durable job leaves a row before trying it again after its `attempts`-th failure:
 * doubling from `firstMs`, never more than `maxMs`. Rows are never given up on silently;
 * the wait only grows.
 */
export interface BackoffOptions {
  firstMs?: number;
  maxMs?: number;
}

export function retryDelayMs(
  attempts: number,
  { firstMs = 30_000, maxMs = 3_600_000 }: BackoffOptions = {},
): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(Math.max(0, attempts - 1), 30));
}
