// The edit rows of a position: brackets (take profit / stop loss) and partial close.
import type { Brackets, Position } from "../model";
import { fmtQty, h, parseOptional } from "./dom";

interface Actions<T> {
  save: (value: T) => void;
  close: () => void;
}

export function bracketsForm(span: number, on: Actions<Brackets>): HTMLElement {
  const tp = h("input", { type: "number", step: "any", placeholder: "none", "data-testid": "brackets-tp" });
  const sl = h("input", { type: "number", step: "any", placeholder: "none", "data-testid": "brackets-sl" });
  const save = () => on.save({ takeProfit: parseOptional(tp), stopLoss: parseOptional(sl) });
  return h(
    "tr",
    { class: "edit-row", "data-testid": "brackets-form" },
    h(
      "td",
      { colspan: span },
      h("label", {}, "Take profit ", tp),
      h("label", {}, " Stop loss ", sl),
      " ",
      h("button", { class: "primary", "data-testid": "brackets-save", onclick: save }, "Save"),
      h("button", { onclick: on.close }, "Close"),
    ),
  );
}

/** The amount to close (null when empty; the caller refuses a non-positive one). */
export function closeForm(p: Position, span: number, on: Actions<number | null>): HTMLElement {
  const amount = h("input", {
    type: "number",
    step: "any",
    min: "0",
    placeholder: `up to ${fmtQty(p.qty)}`,
    "data-testid": "close-amount",
  });
  return h(
    "tr",
    { class: "edit-row", "data-testid": "close-form" },
    h(
      "td",
      { colspan: span },
      h("label", {}, "Close amount ", amount),
      " ",
      h("button", { class: "danger", "data-testid": "close-submit", onclick: () => on.save(parseOptional(amount)) }, "Close amount"),
      h("button", { onclick: on.close }, "Cancel"),
    ),
  );
}
