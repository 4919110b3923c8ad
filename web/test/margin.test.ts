import { describe, expect, it } from "vitest";
import { marginFigures } from "../src/margin";
import type { AccountState } from "../src/model";

const state: AccountState = { balance: 100000, equity: 90600, marginUsed: 82060, buyingPower: 8540, marginCheck: true };

describe("marginFigures", () => {
  it("lists Buying Power then Margin Used from GET /account/state when the broker supports margin", () => {
    expect(marginFigures(true, state)).toEqual([
      { key: "buyingPower", label: "Buying Power", value: 8540 },
      { key: "marginUsed", label: "Margin Used", value: 82060 },
    ]);
  });

  it("shows nothing without supportMargin (MARGIN_CHECK off), whatever the state says", () => {
    expect(marginFigures(false, state)).toEqual([]);
    expect(marginFigures(false, { ...state, marginCheck: false })).toEqual([]);
  });

  it("shows nothing before GET /account/state answered (or against a server without it)", () => {
    expect(marginFigures(true, null)).toEqual([]);
  });
});
