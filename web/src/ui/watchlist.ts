// Watchlist with live quotes (`quotes` stream: all symbols, the selected one as fast symbol).
import type { TraderApi } from "../api/trader";
import type { Subscription } from "../api/ws";
import type { Quote, SymbolItem } from "../model";
import { fmtPrice, h } from "./dom";

export class Watchlist {
  readonly el: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly rows = new Map<string, HTMLTableRowElement>();
  private readonly quotes = new Map<string, Quote>();
  private sub: Subscription | null = null;
  private symbols: SymbolItem[] = [];
  private selected = "";

  constructor(
    private readonly api: TraderApi,
    private readonly onSelect: (symbol: string) => void,
  ) {
    this.body = h("tbody");
    this.el = h(
      "section",
      { class: "panel watchlist", "data-testid": "watchlist" },
      h("h2", {}, "Watchlist"),
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, h("th", {}, "Symbol"), h("th", {}, "Last"), h("th", {}, "Bid"), h("th", {}, "Ask"), h("th", {}, "Chg%"))),
        this.body,
      ),
    );
  }

  lastQuote(symbol: string): Quote | undefined {
    return this.quotes.get(symbol);
  }

  setSymbols(symbols: SymbolItem[]): void {
    this.symbols = symbols;
    this.rows.clear();
    this.body.replaceChildren();
    for (const s of symbols) {
      const row = h(
        "tr",
        { "data-testid": `watch-row-${s.symbol}`, "data-symbol": s.symbol, title: s.description, onclick: () => this.onSelect(s.symbol) },
        h("td", { class: "sym" }, s.symbol),
        h("td", { "data-field": "last" }),
        h("td", { "data-field": "bid" }),
        h("td", { "data-field": "ask" }),
        h("td", { "data-field": "chp" }),
      );
      this.rows.set(s.symbol, row);
      this.body.append(row);
    }
    this.resubscribe();
  }

  /** Marks `symbol` selected; it becomes the quotes stream's fast symbol (new topic). */
  select(symbol: string): void {
    if (symbol === this.selected) return;
    this.selected = symbol;
    for (const [s, row] of this.rows) row.classList.toggle("selected", s === symbol);
    this.resubscribe();
  }

  private resubscribe(): void {
    const old = this.sub;
    const symbols = this.symbols.map((s) => s.symbol);
    this.sub = symbols.length
      ? this.api.onQuotes(symbols, this.selected ? [this.selected] : [], (q) => this.update(q))
      : null;
    // subscribe first, then release: a topic shared by both is not dropped in between
    old?.unsubscribe();
  }

  private update(q: Quote): void {
    this.quotes.set(q.symbol, q);
    const row = this.rows.get(q.symbol);
    if (!row) return;
    const cell = (f: string) => row.querySelector<HTMLElement>(`[data-field="${f}"]`)!;
    if (!q.ok) {
      cell("last").textContent = q.error;
      return;
    }
    const prev = Number(row.dataset.last ?? q.last);
    row.dataset.last = String(q.last);
    cell("last").textContent = fmtPrice(q.last, q.symbol);
    cell("last").className = q.last > prev ? "up" : q.last < prev ? "down" : "";
    cell("bid").textContent = fmtPrice(q.bid, q.symbol);
    cell("ask").textContent = fmtPrice(q.ask, q.symbol);
    cell("chp").textContent = `${q.changePct >= 0 ? "+" : ""}${q.changePct.toFixed(2)}%`;
    cell("chp").className = q.changePct >= 0 ? "up" : "down";
    cell("chp").title = `${fmtPrice(q.change, q.symbol)} · spread ${fmtPrice(q.spread, q.symbol)}`;
  }
}
