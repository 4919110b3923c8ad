import { describe, expect, it } from "vitest";
import { mergeBars, olderPage, PAGE_BARS, wantsOlder } from "../src/bars";
import type { Candle } from "../src/model";

const bar = (time: number, close = time): Candle => ({ time, open: close, high: close, low: close, close, volume: 1 });

describe("chart paging", () => {
  it("prepends an older page in time order without duplicates", () => {
    expect(mergeBars([bar(1), bar(2), bar(3)], [bar(4), bar(5)]).map((b) => b.time)).toEqual([1, 2, 3, 4, 5]);
    expect(mergeBars([bar(3), bar(1)], [bar(2), bar(3)]).map((b) => b.time)).toEqual([1, 2, 3]);
  });

  it("the reloaded latest bars replace the ones at the same time", () => {
    const merged = mergeBars([bar(1), bar(2, 20)], [bar(2, 21), bar(3)]);
    expect(merged.map((b) => [b.time, b.close])).toEqual([[1, 1], [2, 21], [3, 3]]);
  });

  it("asks for older bars near the left edge, once at a time, until the server has none", () => {
    expect(wantsOlder(5, false, false)).toBe(true);
    expect(wantsOlder(-3, false, false)).toBe(true);
    expect(wantsOlder(150, false, false)).toBe(false);
    expect(wantsOlder(5, true, false)).toBe(false);
    expect(wantsOlder(5, false, true)).toBe(false);
    expect(wantsOlder(null, false, false)).toBe(false);
  });

  it("requests the page that ends just before the oldest bar", () => {
    const day = 86_400_000;
    const first = 1_700_000_000_000;
    expect(olderPage(first, day)).toEqual({ from: first - (PAGE_BARS + 100) * day, to: first - 1, countBack: PAGE_BARS });
  });
});
