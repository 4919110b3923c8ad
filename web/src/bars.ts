// Bar series bookkeeping for the chart: pages of older bars prepended when the user scrolls left,
// and the latest bars merged back after a reconnection. Pure functions (unit-tested).
import type { Candle } from "./model";

/** `base` and `extra` merged by bar time, sorted; a bar of `extra` replaces one of `base` at the same time. */
export function mergeBars(base: readonly Candle[], extra: readonly Candle[]): Candle[] {
  const byTime = new Map<number, Candle>();
  for (const c of base) byTime.set(c.time, c);
  for (const c of extra) byTime.set(c.time, c);
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

/** How close (in bars) to the left edge the visible range may come before the previous page is fetched. */
export const OLDER_THRESHOLD = 20;
export const PAGE_BARS = 300;

export function wantsOlder(visibleFrom: number | null | undefined, loading: boolean, exhausted: boolean): boolean {
  return !loading && !exhausted && visibleFrom !== null && visibleFrom !== undefined && visibleFrom < OLDER_THRESHOLD;
}

/** The request for the page before `first` (bar open time, ms): up to `to`, at most PAGE_BARS bars. */
export function olderPage(firstTime: number, barMs: number): { from: number; to: number; countBack: number } {
  return { from: firstTime - (PAGE_BARS + 100) * barMs, to: firstTime - 1, countBack: PAGE_BARS };
}
