import { describe, expect, it } from "vitest";
import { historyPoints, liveEquity, seriesPoints, TIMEFRAME } from "../src/equity";

describe("equity curve", () => {
  it("takes the history's points, skipping missing values", () => {
    const h = { timestamp: [0, 60_000, 120_000], equity: [100, null, 102], profitLoss: [], profitLossPct: [], baseValue: 100, timeframe: "1Min" };
    expect(historyPoints(h)).toEqual([{ time: 0, value: 100 }, { time: 120_000, value: 102 }]);
  });

  it("a live value moves the trailing point; passing a grid time adds a grid point", () => {
    const m = TIMEFRAME["1D"].ms;
    const grid = [{ time: 0, value: 100 }, { time: m, value: 101 }];
    const s1 = liveEquity({ grid, live: null }, m + 30_500, 105, m);
    expect(s1).toEqual({ grid, live: { time: m + 30_000, value: 105 } });
    const s2 = liveEquity(s1, m + 40_000, 104, m);
    expect(seriesPoints(s2)).toEqual([...grid, { time: m + 40_000, value: 104 }]);
    const s3 = liveEquity(s2, 2 * m + 5_000, 106, m);
    expect(seriesPoints(s3)).toEqual([...grid, { time: 2 * m, value: 106 }, { time: 2 * m + 5_000, value: 106 }]);
    expect(liveEquity(s3, m - 1, 99, m)).toBe(s3); // older than the grid: ignored
    expect(liveEquity({ grid: [], live: null }, 5 * m, 1, m)).toEqual({ grid: [{ time: 5 * m, value: 1 }], live: null });
  });

  it("every period's grid stays under the server's 10,000 points", () => {
    const span = { "1D": 86_400_000, "1W": 7 * 86_400_000, "1M": 31 * 86_400_000, "1A": 366 * 86_400_000 };
    for (const [p, tf] of Object.entries(TIMEFRAME)) expect(span[p as keyof typeof span] / tf.ms).toBeLessThanOrEqual(10_000);
  });
});
