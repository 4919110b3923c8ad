// Account manager: working orders, positions, executions, order history and the equity summary,
// loaded over REST when a stream is (re)confirmed and kept live by the broker streams.
import { errorMessage, orderToRequest } from "../api/mapper";
import type { TraderApi } from "../api/trader";
import { durationText } from "../durations";
import { HISTORY_PAGE, OrderHistoryList } from "../history";
import { HttpError } from "../api/http";
import type { AccountState, Equity, Execution, Order, OrderHistoryPage, Position } from "../model";
import { fmtMoney, fmtPrice, fmtQty, fmtTime, h, parseOptional, replaceChildren } from "./dom";
import { marginFigures, type MarginFigure } from "../margin";
import { EquityChart } from "./equity";
import { bracketsForm, closeForm } from "./position-forms";

type Tab = "orders" | "positions" | "executions" | "history";
export type Kind = "orders" | "positions" | "executions";
type EditKind = "order" | "position" | "close";
const ACTIVE = new Set(["working", "placing", "inactive"]);
const STATE_MS = 2000;

function marginItem(f: MarginFigure): HTMLElement {
  return h("span", { class: "item", "data-testid": `account-${f.key}`, "data-value": String(f.value) }, h("small", {}, f.label), fmtMoney(f.value));
}

export class AccountManager {
  readonly el: HTMLElement;
  private readonly orders = new Map<string, Order>();
  private readonly positions = new Map<string, Position>();
  private executions: Execution[] = [];
  private readonly execKeys = new Set<string>();
  private equity: Equity | null = null;
  /** GET /account/state (buying power, margin used), refreshed at most every STATE_MS on equity updates,
   * read and shown only when the broker checks margin (configFlags.supportMargin). */
  private state: AccountState | null = null;
  private supportMargin = false;
  private stateTimer: ReturnType<typeof setTimeout> | null = null;
  private stateAt = 0;
  private readonly history = new OrderHistoryList();
  private loadingMore = false;
  readonly equityChart: EquityChart;
  private tab: Tab = "orders";
  private symbols: string[] = [];
  private editing: { kind: EditKind; id: string; form?: HTMLElement } | null = null;
  /** Called when a list finished its REST reload (the connection banner waits for these). */
  onReloaded: (kind: Kind) => void = () => undefined;

  private readonly summary = h("div", { class: "summary", "data-testid": "account-summary" });
  private readonly tabs = h("div", { class: "tabs" });
  private readonly content = h("div", { class: "tab-content" });
  private readonly message = h("div", { class: "result", "data-testid": "account-message", role: "status" });

  constructor(private readonly api: TraderApi) {
    this.equityChart = new EquityChart(api);
    this.el = h(
      "section",
      { class: "panel account", "data-testid": "account-manager" },
      h("div", { class: "account-main" }, this.summary, this.tabs, this.message, this.content),
      this.equityChart.el,
    );
    this.renderSummary();
    this.render();
  }

  /** Starts the broker streams; `symbols` are the ones whose executions are loaded over REST. */
  start(symbols: string[]): void {
    this.symbols = symbols;
    this.api.onOrders(
      (o) => this.onStream("orders", () => this.upsertOrder(o)),
      () => void this.reload("orders"),
    );
    this.api.onPositions(
      (p) => this.onStream("positions", () => this.upsertPosition(p)),
      () => void this.reload("positions"),
    );
    this.api.onExecutions(
      (e) => this.onStream("executions", () => this.addExecution(e)),
      () => void this.reload("executions"),
    );
    this.api.onEquity((e) => {
      this.equity = e;
      this.renderSummary();
      this.equityChart.live(e.equity);
      this.refreshState();
    });
    this.equityChart.start();
    this.refreshState();
  }

  /** The account switcher's teardown: no more margin reads, the equity chart removed. */
  dispose(): void {
    if (this.stateTimer !== null) clearTimeout(this.stateTimer);
    this.stateTimer = null;
    this.supportMargin = false;
    this.equityChart.dispose();
  }

  /** Stream updates that arrive while a REST reload is in flight, replayed on top of its result. */
  private readonly replay = new Map<Kind, (() => void)[]>();

  private onStream(kind: Kind, apply: () => void): void {
    this.replay.get(kind)?.push(apply);
    apply();
    this.render();
    this.refreshState(); // an order or a position changes the margin used even when equity does not move
  }

  /**
   * Replaces a list with the server's (REST) state after each (re)subscription — e.g. after a
   * reconnection to a restarted server — then re-applies the updates streamed meanwhile.
   */
  private async reload(kind: Kind): Promise<void> {
    const streamed: (() => void)[] = [];
    this.replay.set(kind, streamed);
    try {
      if (kind === "orders") {
        const [list, page] = await Promise.all([this.api.getOrders(), this.firstHistoryPage()]);
        this.orders.clear();
        for (const o of list) this.orders.set(o.id, o);
        // a server without GET /orders/history: the final orders of GET /orders, newest first
        this.history.first(page ?? { orders: list.filter((o) => !ACTIVE.has(o.status)).reverse(), next: null });
      } else if (kind === "positions") {
        const list = await this.api.getPositions();
        this.positions.clear();
        for (const p of list) this.positions.set(p.id, p);
      } else {
        const lists = await Promise.all(this.symbols.map((s) => this.api.getExecutions(s)));
        this.executions = [];
        this.execKeys.clear();
        for (const e of lists.flat()) this.addExecution(e);
      }
      for (const apply of streamed) apply();
      this.onReloaded(kind);
    } catch (e) {
      this.showError(`Cannot load ${kind}: ${errorMessage(e)}`);
    } finally {
      if (this.replay.get(kind) === streamed) this.replay.delete(kind);
      this.render();
    }
  }

  private upsertOrder(o: Order): void {
    const old = this.orders.get(o.id);
    // never go back to an older state (updates replayed after a REST snapshot)
    if (old && (old.updateTime ?? 0) > (o.updateTime ?? 0)) return;
    this.orders.set(o.id, o);
    this.history.live(o, !ACTIVE.has(o.status));
  }

  private async firstHistoryPage(): Promise<OrderHistoryPage | null> {
    try {
      return await this.api.getOrdersHistory(HISTORY_PAGE);
    } catch (e) {
      if (e instanceof HttpError && (e.status === 404 || e.status === 405)) return null;
      throw e;
    }
  }

  /** "Load more": the next older page of GET /orders/history. */
  private async loadMore(): Promise<void> {
    const cursor = this.history.next;
    if (cursor === null || this.loadingMore) return;
    this.loadingMore = true;
    this.render();
    try {
      const page = await this.api.getOrdersHistory(HISTORY_PAGE, cursor);
      if (this.history.next === cursor) this.history.more(page);
    } catch (e) {
      this.showError(`Cannot load the order history: ${errorMessage(e)}`);
    } finally {
      this.loadingMore = false;
      this.render();
    }
  }

  private upsertPosition(p: Position): void {
    if (p.qty === 0) this.positions.delete(p.id);
    else this.positions.set(p.id, p);
  }

  private addExecution(e: Execution): void {
    const key = `${e.symbol}|${e.time}|${e.price}|${e.qty}|${e.side}`;
    if (this.execKeys.has(key)) return;
    this.execKeys.add(key);
    this.executions.push(e);
    this.executions.sort((a, b) => b.time - a.time);
  }

  private async run(action: () => Promise<string>): Promise<void> {
    try {
      const text = await action();
      replaceChildren(this.message, h("span", { class: "ok" }, text));
    } catch (e) {
      this.showError(errorMessage(e));
    }
  }

  private showError(text: string): void {
    replaceChildren(this.message, h("span", { class: "error", "data-testid": "account-error" }, text));
  }

  /** From GET /broker/config: whether Buying Power and Margin Used are read and shown. */
  setSupportMargin(supported: boolean): void {
    this.supportMargin = supported;
    if (supported) this.refreshState();
    else this.state = null;
    this.renderSummary();
  }

  private refreshState(): void {
    if (this.stateTimer !== null || !this.supportMargin) return;
    const wait = Math.max(0, this.stateAt + STATE_MS - Date.now());
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      this.stateAt = Date.now();
      this.api.getAccountState().then(
        (s) => {
          if (this.supportMargin) this.state = s;
          this.renderSummary();
        },
        () => undefined, // a failed read keeps the last figures; the next equity update retries
      );
    }, wait);
  }

  private renderSummary(): void {
    const e = this.equity;
    const item = (label: string, key: keyof Equity) =>
      h(
        "span",
        { class: "item", "data-testid": `equity-${key}`, "data-value": e ? String(e[key]) : "" },
        h("small", {}, label),
        e ? fmtMoney(e[key]) : "—",
      );
    replaceChildren(
      this.summary,
      item("Equity", "equity"),
      item("Balance", "balance"),
      item("Unrealized P&L", "unrealizedPL"),
      item("Realized P&L", "realizedPL"),
      ...marginFigures(this.supportMargin, this.state).map(marginItem),
    );
  }

  private render(): void {
    const working = [...this.orders.values()].filter((o) => ACTIVE.has(o.status));
    const history = [...this.history.orders()];
    const tabBtn = (t: Tab, label: string, n: number, more = false) =>
      h("button", { class: t === this.tab ? "tab active" : "tab", "data-testid": `tab-${t}`, onclick: () => this.setTab(t) }, `${label} (${n}${more ? "+" : ""})`);
    replaceChildren(
      this.tabs,
      tabBtn("orders", "Working orders", working.length),
      tabBtn("positions", "Positions", this.positions.size),
      tabBtn("executions", "Executions", this.executions.length),
      tabBtn("history", "Order history", history.length, this.history.next !== null),
    );
    // every table is rendered (hidden when not active) so tests and users can read any of them
    replaceChildren(
      this.content,
      this.pane("orders", this.ordersTable(working, true, "orders-table")),
      this.pane("positions", this.positionsTable()),
      this.pane("executions", this.executionsTable()),
      this.pane("history", this.ordersTable(history, false, "history-table"), this.moreButton()),
    );
  }

  private setTab(t: Tab): void {
    this.tab = t;
    this.render();
  }

  private pane(t: Tab, ...body: (HTMLElement | null)[]): HTMLElement {
    return h("div", { class: "pane", "data-pane": t, hidden: t !== this.tab }, ...body);
  }

  private moreButton(): HTMLElement | null {
    if (this.history.next === null) return null;
    return h(
      "button",
      { class: "more", "data-testid": "history-more", disabled: this.loadingMore, onclick: () => void this.loadMore() },
      this.loadingMore ? "Loading…" : "Load more",
    );
  }

  private ordersTable(list: Order[], actions: boolean, testid: string): HTMLElement {
    const head = ["Id", "Parent", "Symbol", "Side", "Type", "TIF", "Qty", "Limit", "Stop", "TP", "SL", "Status", "Filled", "Avg", "Time", ""];
    return table(
      testid,
      head,
      list.map((o) => {
        const editing = actions && this.editing?.kind === "order" && this.editing.id === o.id;
        return [
          h(
            "tr",
            { "data-testid": `order-row-${o.id}`, "data-id": o.id, "data-status": o.status, class: o.side },
            td(o.id),
            td(o.parentId ?? ""),
            td(o.symbol),
            td(o.side, "side"),
            td(o.type),
            td(durationText(o.duration), "duration"),
            td(fmtQty(o.qty), "qty"),
            td(fmtPrice(o.limitPrice, o.symbol), "limit"),
            td(fmtPrice(o.stopPrice, o.symbol), "stop"),
            td(fmtPrice(o.takeProfit, o.symbol)),
            td(fmtPrice(o.stopLoss, o.symbol)),
            td(o.status, "status"),
            td(fmtQty(o.filledQty)),
            td(fmtPrice(o.avgPrice, o.symbol), "avg"),
            td(fmtTime(o.updateTime)),
            h(
              "td",
              { class: "actions" },
              actions && h("button", { "data-testid": `modify-${o.id}`, onclick: () => this.edit("order", o.id) }, "Modify"),
              actions && h("button", { class: "danger", "data-testid": `cancel-${o.id}`, onclick: () => void this.run(() => this.api.cancelOrder(o.id)) }, "Cancel"),
            ),
          ),
          editing ? (this.editing!.form ??= this.modifyForm(o, head.length)) : null,
        ];
      }),
    );
  }

  private edit(kind: EditKind, id: string): void {
    this.editing = this.editing?.kind === kind && this.editing.id === id ? null : { kind, id };
    this.render();
  }

  private modifyForm(o: Order, span: number): HTMLElement {
    const qty = h("input", { type: "number", step: "any", value: String(o.qty), "data-testid": "modify-qty" });
    const limit = h("input", { type: "number", step: "any", value: fmtPrice(o.limitPrice, o.symbol), "data-testid": "modify-limit", disabled: o.limitPrice === null && o.type !== "limit" && o.type !== "stop-limit" });
    const stop = h("input", { type: "number", step: "any", value: fmtPrice(o.stopPrice, o.symbol), "data-testid": "modify-stop", disabled: o.type !== "stop" && o.type !== "stop-limit" });
    const save = () =>
      void this.run(async () => {
        const text = await this.api.modifyOrder(
          o.id,
          orderToRequest(o, { qty: Number(qty.value), limitPrice: parseOptional(limit), stopPrice: parseOptional(stop) }),
        );
        this.editing = null;
        await this.reload("orders");
        return text;
      });
    return h(
      "tr",
      { class: "edit-row", "data-testid": "modify-form" },
      h(
        "td",
        { colspan: span },
        h("label", {}, "Qty ", qty),
        h("label", {}, " Limit ", limit),
        h("label", {}, " Stop ", stop),
        " ",
        h("button", { class: "primary", "data-testid": "modify-save", onclick: save }, "Save"),
        h("button", { onclick: () => this.edit("order", o.id) }, "Close"),
      ),
    );
  }

  private positionsTable(): HTMLElement {
    const head = ["Symbol", "Side", "Qty", "Avg price", ""];
    return table(
      "positions-table",
      head,
      [...this.positions.values()].map((p) => {
        const editing = (this.editing?.kind === "position" || this.editing?.kind === "close") && this.editing.id === p.id;
        return [
          h(
            "tr",
            { "data-testid": `position-row-${p.id}`, "data-id": p.id, class: p.side },
            td(p.symbol),
            td(p.side, "side"),
            td(fmtQty(p.qty), "qty"),
            td(fmtPrice(p.avgPrice, p.symbol), "avg"),
            h(
              "td",
              { class: "actions" },
              h("button", { "data-testid": `brackets-${p.id}`, onclick: () => this.edit("position", p.id) }, "Brackets"),
              h("button", { "data-testid": `close-part-${p.id}`, onclick: () => this.edit("close", p.id) }, "Close part…"),
              h("button", { class: "danger", "data-testid": `close-${p.id}`, onclick: () => void this.run(() => this.api.closePosition(p.id)) }, "Close"),
            ),
          ),
          editing
            ? (this.editing!.form ??= this.editing!.kind === "close" ? this.closeForm(p, head.length) : this.bracketsForm(p, head.length))
            : null,
        ];
      }),
    );
  }

  private bracketsForm(p: Position, span: number): HTMLElement {
    return bracketsForm(span, {
      save: (b) =>
        void this.run(async () => {
          const text = await this.api.editBrackets(p.id, b);
          this.editing = null;
          this.render();
          return text;
        }),
      close: () => this.edit("position", p.id),
    });
  }

  /** Partial close: DELETE /positions/{id}?amount=… (the server refuses an amount above the position). */
  private closeForm(p: Position, span: number): HTMLElement {
    return closeForm(p, span, {
      save: (amount) =>
        void this.run(async () => {
          if (amount === null || !(amount > 0)) throw new Error("Amount must be a positive number");
          const text = await this.api.closePosition(p.id, amount);
          this.editing = null;
          this.render();
          return text;
        }),
      close: () => this.edit("close", p.id),
    });
  }

  private executionsTable(): HTMLElement {
    return table(
      "executions-table",
      ["Time", "Symbol", "Side", "Qty", "Price", "Commission"],
      this.executions.map((e) =>
        h(
          "tr",
          {
            "data-testid": "execution-row",
            "data-symbol": e.symbol,
            "data-time": String(e.time),
            "data-price": String(e.price),
            "data-qty": String(e.qty),
            "data-commission": e.commission === null ? "" : String(e.commission),
            class: e.side,
          },
          td(fmtTime(e.time)),
          td(e.symbol),
          td(e.side, "side"),
          td(fmtQty(e.qty)),
          td(fmtPrice(e.price, e.symbol)),
          td(e.commission === null ? "" : fmtMoney(e.commission), "commission"),
        ),
      ),
    );
  }
}

function td(text: string, field?: string): HTMLTableCellElement {
  return h("td", { "data-field": field }, text);
}

function table(testid: string, head: string[], rows: (HTMLElement | null | (HTMLElement | null)[])[]): HTMLElement {
  const body = h("tbody", {}, ...rows.flat());
  if (!rows.length) body.append(h("tr", { class: "empty" }, h("td", { colspan: head.length }, "Nothing here")));
  return h("table", { "data-testid": testid }, h("thead", {}, h("tr", {}, head.map((t) => h("th", {}, t)))), body);
}
