// The equity curve: a period of GET /account/history on a grid, then kept live by the equity
// stream (the last point follows the stream; a new grid step appends a point). Pure logic.
import type { EquityHistory, EquityPeriod } from "./model";

export const PERIODS: readonly EquityPeriod[] = ["1D", "1W", "1M", "1A"];

/** The grid of each period (at most 10,000 points: 1D of minutes is 1,440). */
export const TIMEFRAME: Record<EquityPeriod, { timeframe: string; ms: number }> = {
  "1D": { timeframe: "1Min", ms: 60_000 },
  "1W": { timeframe: "15Min", ms: 15 * 60_000 },
  "1M": { timeframe: "1H", ms: 3_600_000 },
  "1A": { timeframe: "1D", ms: 86_400_000 },
};

export interface EquityPoint {
  /** Unix ms */
  time: number;
  value: number;
}

export function historyPoints(h: EquityHistory): EquityPoint[] {
  const out: EquityPoint[] = [];
  h.timestamp.forEach((t, i) => {
    const v = h.equity[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) out.push({ time: t, value: v });
  });
  return out;
}

/** The history's grid points, then at most one trailing point that follows the equity stream. */
export interface EquitySeries {
  grid: EquityPoint[];
  live: EquityPoint | null;
}

export function seriesPoints(s: EquitySeries): EquityPoint[] {
  return s.live ? [...s.grid, s.live] : s.grid.slice();
}

/**
 * The series after a live equity value at `now` (ms): the trailing point moves to `now` (whole
 * seconds, the chart's resolution); once `now` passes the next grid time a grid point is added
 * there with this value (the first value seen in that step). Values older than the grid are ignored.
 */
export function liveEquity(s: EquitySeries, now: number, equity: number, stepMs: number): EquitySeries {
  const last = s.grid[s.grid.length - 1];
  if (last && now < last.time) return s;
  const step = Math.floor(now / stepMs) * stepMs;
  const grid = !last || step > last.time ? [...s.grid, { time: step, value: equity }] : s.grid;
  const second = Math.floor(now / 1000) * 1000;
  const live = second > grid[grid.length - 1]!.time ? { time: second, value: equity } : null;
  return { grid, live };
}
