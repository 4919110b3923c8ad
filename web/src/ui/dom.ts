// Tiny DOM helpers (no framework).

type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v as EventListener);
    else if (k === "class") el.className = String(v);
    else if (k === "value" && "value" in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

export function replaceChildren(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

const priceDecimals = new Map<string, number>();

/** Registers a symbol's price precision (from its resolved pricescale). */
export function setPriceDecimals(symbol: string, decimals: number): void {
  priceDecimals.set(symbol, decimals);
}

export function decimalsOf(symbol: string): number {
  return priceDecimals.get(symbol) ?? 2;
}

/** Price with the symbol's precision (2 decimals when unknown). */
export function fmtPrice(v: number | null | undefined, symbol?: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "";
  return v.toFixed(symbol === undefined ? 2 : decimalsOf(symbol));
}

export function fmtQty(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/0+$/, "");
}

export function fmtMoney(v: number): string {
  return v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function fmtTime(ms: number | null): string {
  if (ms === null) return "";
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

/** Parses an optional number input: "" → null, invalid → NaN. */
export function parseOptional(input: HTMLInputElement): number | null {
  const t = input.value.trim();
  return t === "" ? null : Number(t);
}
