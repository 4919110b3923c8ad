// The account summary's margin figures (Buying Power, Margin Used). Pure logic.
import type { AccountState } from "./model";

export interface MarginFigure {
  key: "buyingPower" | "marginUsed";
  label: string;
  value: number;
}

/**
 * Shown only when the broker checks orders against buying power (GET /broker/config's
 * configFlags.supportMargin, the server's MARGIN_CHECK) and GET /account/state has answered.
 */
export function marginFigures(supportMargin: boolean, state: AccountState | null): MarginFigure[] {
  if (!supportMargin || state === null) return [];
  return [
    { key: "buyingPower", label: "Buying Power", value: state.buyingPower },
    { key: "marginUsed", label: "Margin Used", value: state.marginUsed },
  ];
}
