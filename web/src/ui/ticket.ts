// Order ticket: market/limit/stop/stop-limit, buy/sell, qty, prices, optional TP/SL.
// "Preview" calls POST /orders/preview and shows the result; "Place" then calls POST /orders.
import { errorMessage } from "../api/mapper";
import type { TraderApi } from "../api/trader";
import { DURATION_LABELS, durationAllowed, readDuration } from "../durations";
import type { BrokerConfig, DurationType, LeverageInfo, OrderPreview, OrderRequest, OrderType, Quote, Side } from "../model";
import { decimalsOf, h, parseOptional, replaceChildren } from "./dom";

export class OrderTicket {
  readonly el: HTMLElement;
  private symbol = "";
  private side: Side = "buy";
  private readonly symbolLabel = h("span", { "data-testid": "ticket-symbol" });
  private readonly buyBtn: HTMLButtonElement;
  private readonly sellBtn: HTMLButtonElement;
  private readonly type = h(
    "select",
    { "data-testid": "ticket-type" },
    h("option", { value: "market" }, "Market"),
    h("option", { value: "limit" }, "Limit"),
    h("option", { value: "stop" }, "Stop"),
    h("option", { value: "stop-limit" }, "Stop limit"),
  );
  private readonly qty = h("input", { type: "number", min: "0", step: "any", value: "1", "data-testid": "ticket-qty" });
  private readonly limit = h("input", { type: "number", step: "any", "data-testid": "ticket-limit" });
  private readonly stop = h("input", { type: "number", step: "any", "data-testid": "ticket-stop" });
  private readonly tp = h("input", { type: "number", step: "any", placeholder: "optional", "data-testid": "ticket-tp" });
  private readonly sl = h("input", { type: "number", step: "any", placeholder: "optional", "data-testid": "ticket-sl" });
  private readonly previewBtn = h("button", { class: "primary", "data-testid": "ticket-preview" }, "Preview");
  private readonly placeBtn = h("button", { class: "primary", "data-testid": "ticket-place", disabled: true }, "Place order");
  private readonly previewBox = h("div", { class: "preview", "data-testid": "ticket-preview-box" });
  private readonly result = h("div", { class: "result", "data-testid": "ticket-result", role: "status" });
  private previewed: OrderRequest | null = null;
  // time in force: offered only when GET /broker/config lists durations
  private readonly duration = h("select", { "data-testid": "ticket-duration" });
  private readonly gtd = h("input", { type: "datetime-local", "data-testid": "ticket-gtd", title: "UTC" });
  private readonly durationRow: HTMLElement;
  private readonly gtdRow: HTMLElement;
  private durations: DurationType[] = [];
  // leverage of the ticket's symbol: GET /leverage/info, POST /leverage/preview, then PUT /leverage/set
  private readonly leverage = h("input", { type: "number", step: "any", "data-testid": "ticket-leverage" });
  private readonly leverageNow = h("span", { class: "muted", "data-testid": "leverage-current" });
  private readonly leveragePreviewBtn = h("button", { "data-testid": "leverage-preview" }, "Preview");
  private readonly leverageSetBtn = h("button", { class: "primary", "data-testid": "leverage-set", disabled: true }, "Set");
  private readonly leverageBox = h("div", { class: "leverage-box", "data-testid": "leverage-box", role: "status" });
  private leveragePreviewed: { symbol: string; value: number } | null = null;
  private leverageInfo: LeverageInfo | null = null;

  constructor(
    private readonly api: TraderApi,
    private readonly lastQuote: (symbol: string) => Quote | undefined,
  ) {
    this.buyBtn = h("button", { class: "side buy", "data-testid": "ticket-buy", onclick: () => this.setSide("buy") }, "Buy");
    this.sellBtn = h("button", { class: "side sell", "data-testid": "ticket-sell", onclick: () => this.setSide("sell") }, "Sell");
    const row = (label: string, input: HTMLElement, testid?: string, cls = "row") =>
      h("label", { class: cls, "data-testid": testid }, h("span", {}, label), input);
    this.durationRow = row("Duration", this.duration, "row-duration");
    // the date on a line of its own: "12/05/2026, 12:30 PM" and the picker need ~216 px, the
    // ticket's input column has 176 px at 1400 px wide (the time was cut to "12:30 P")
    this.gtdRow = row("Until (UTC)", this.gtd, "row-gtd", "row stacked");
    this.durationRow.hidden = true;
    this.gtdRow.hidden = true;
    this.el = h(
      "section",
      { class: "panel ticket", "data-testid": "order-ticket" },
      h("h2", {}, "Order ticket ", this.symbolLabel),
      h("div", { class: "sides" }, this.buyBtn, this.sellBtn),
      row("Type", this.type),
      row("Quantity", this.qty),
      row("Limit price", this.limit, "row-limit"),
      row("Stop price", this.stop, "row-stop"),
      row("Take profit", this.tp),
      row("Stop loss", this.sl),
      this.durationRow,
      this.gtdRow,
      h("div", { class: "buttons" }, this.previewBtn, this.placeBtn),
      this.previewBox,
      this.result,
      h(
        "div",
        { class: "leverage", "data-testid": "leverage" },
        h("h3", {}, "Leverage ", this.leverageNow),
        h("div", { class: "leverage-row" }, this.leverage, this.leveragePreviewBtn, this.leverageSetBtn),
        this.leverageBox,
      ),
    );
    this.leverage.addEventListener("input", () => this.invalidateLeverage());
    this.leveragePreviewBtn.addEventListener("click", () => void this.previewLeverage());
    this.leverageSetBtn.addEventListener("click", () => void this.setLeverage());
    this.type.addEventListener("change", () => {
      this.prefillPrices();
      this.syncFields();
    });
    this.duration.addEventListener("change", () => this.syncFields());
    for (const input of [this.type, this.qty, this.limit, this.stop, this.tp, this.sl, this.gtd]) {
      input.addEventListener("input", () => this.invalidate());
    }
    this.previewBtn.addEventListener("click", () => void this.preview());
    this.placeBtn.addEventListener("click", () => void this.place());
    this.setSide("buy");
    this.syncFields();
  }

  /** The broker's durations (GET /broker/config): the selector lists them, the default first chosen. */
  setConfig(config: BrokerConfig): void {
    this.durations = config.durations;
    this.duration.replaceChildren(...config.durations.map((d) => h("option", { value: d, title: DURATION_LABELS[d] }, d)));
    if (config.defaultDuration && config.durations.includes(config.defaultDuration)) this.duration.value = config.defaultDuration;
    this.durationRow.hidden = config.durations.length === 0;
    this.syncFields();
  }

  setSymbol(symbol: string): void {
    if (symbol === this.symbol) return;
    this.symbol = symbol;
    this.symbolLabel.textContent = symbol;
    this.limit.value = "";
    this.stop.value = "";
    this.prefillPrices();
    this.invalidate();
    void this.loadLeverage();
  }

  private async loadLeverage(): Promise<void> {
    const symbol = this.symbol;
    this.leverageInfo = null;
    this.leverageNow.textContent = "";
    this.invalidateLeverage();
    try {
      const info = await this.api.getLeverageInfo(symbol, this.side, this.orderType());
      if (symbol !== this.symbol) return;
      this.showLeverage(info);
    } catch (e) {
      if (symbol === this.symbol) this.leverageMessage("error", errorMessage(e));
    }
  }

  private showLeverage(info: LeverageInfo): void {
    this.leverageInfo = info;
    this.leverage.min = String(info.min);
    this.leverage.max = String(info.max);
    this.leverage.step = String(info.step);
    this.leverage.value = String(info.leverage);
    this.leverage.title = `${info.title}: ${info.min} to ${info.max}, step ${info.step}`;
    this.leverageNow.textContent = `${info.leverage}×`;
    this.leverageNow.dataset.value = String(info.leverage);
  }

  private invalidateLeverage(): void {
    this.leveragePreviewed = null;
    this.leverageSetBtn.disabled = true;
    this.leverageBox.replaceChildren();
  }

  private leverageMessage(kind: "error" | "ok", text: string): void {
    replaceChildren(this.leverageBox, h("div", { class: kind, "data-testid": `leverage-${kind}` }, text));
  }

  /** Shows what the server says of the new value; only a preview without errors enables "Set". */
  async previewLeverage(): Promise<void> {
    const value = Number(this.leverage.value);
    const symbol = this.symbol;
    this.invalidateLeverage();
    if (!symbol || !(value > 0)) return this.leverageMessage("error", "Leverage must be a positive number");
    try {
      const p = await this.api.previewLeverage(symbol, this.side, this.orderType(), value);
      if (symbol !== this.symbol || Number(this.leverage.value) !== value) return;
      replaceChildren(
        this.leverageBox,
        p.infos.map((t) => h("div", { class: "info", "data-testid": "leverage-info" }, t)),
        p.warnings.map((t) => h("div", { class: "warning", "data-testid": "leverage-warning" }, `⚠ ${t}`)),
        p.errors.map((t) => h("div", { class: "error", "data-testid": "leverage-error" }, t)),
      );
      if (!p.errors.length) {
        this.leveragePreviewed = { symbol, value };
        this.leverageSetBtn.disabled = false;
      }
    } catch (e) {
      this.leverageMessage("error", errorMessage(e));
    }
  }

  async setLeverage(): Promise<void> {
    const wanted = this.leveragePreviewed;
    if (!wanted || wanted.symbol !== this.symbol) return;
    this.leverageSetBtn.disabled = true;
    try {
      const value = await this.api.setLeverage(wanted.symbol, this.side, this.orderType(), wanted.value);
      const info = await this.api.getLeverageInfo(wanted.symbol, this.side, this.orderType());
      if (wanted.symbol !== this.symbol) return;
      this.showLeverage(info);
      this.leveragePreviewed = null;
      this.leverageMessage("ok", `Leverage of ${wanted.symbol} set to ${value}×`);
    } catch (e) {
      this.leverageSetBtn.disabled = false;
      this.leverageMessage("error", errorMessage(e));
    }
  }

  private setSide(side: Side): void {
    this.side = side;
    this.buyBtn.classList.toggle("active", side === "buy");
    this.sellBtn.classList.toggle("active", side === "sell");
    this.el.dataset.side = side;
    this.invalidate();
  }

  private orderType(): OrderType {
    return this.type.value as OrderType;
  }

  private syncFields(): void {
    const t = this.orderType();
    this.limit.disabled = !(t === "limit" || t === "stop-limit");
    this.stop.disabled = !(t === "stop" || t === "stop-limit");
    for (const o of this.duration.options) o.disabled = !durationAllowed(o.value as DurationType, t);
    if (this.duration.selectedOptions[0]?.disabled) {
      this.duration.value = this.durations.find((d) => durationAllowed(d, t)) ?? "";
    }
    this.gtdRow.hidden = this.durationRow.hidden || this.duration.value !== "GTD";
    this.invalidate();
  }

  private prefillPrices(): void {
    const q = this.lastQuote(this.symbol);
    if (!q || !q.ok) return;
    const d = decimalsOf(this.symbol);
    if (!this.limit.value) this.limit.value = q.last.toFixed(d);
    if (!this.stop.value) this.stop.value = q.last.toFixed(d);
  }

  private invalidate(): void {
    this.previewed = null;
    this.placeBtn.disabled = true;
    this.previewBox.replaceChildren();
  }

  /** Reads the form; returns an error text for obviously invalid input. */
  private read(): OrderRequest | string {
    if (!this.symbol) return "No symbol selected";
    const qty = Number(this.qty.value);
    if (!(qty > 0)) return "Quantity must be a positive number";
    const t = this.orderType();
    const req: OrderRequest = {
      symbol: this.symbol,
      type: t,
      side: this.side,
      qty,
      limitPrice: this.limit.disabled ? null : parseOptional(this.limit),
      stopPrice: this.stop.disabled ? null : parseOptional(this.stop),
      takeProfit: parseOptional(this.tp),
      stopLoss: parseOptional(this.sl),
    };
    if (!this.durationRow.hidden) {
      const duration = readDuration(this.duration.value as DurationType | "", this.gtd.value, Date.now());
      if (typeof duration === "string") return duration;
      req.duration = duration;
    }
    for (const [k, v] of Object.entries(req)) if (typeof v === "number" && Number.isNaN(v)) return `${k}: not a number`;
    return req;
  }

  async preview(): Promise<void> {
    const req = this.read();
    this.result.replaceChildren();
    if (typeof req === "string") return this.showError(req);
    this.previewBtn.disabled = true;
    try {
      const p = await this.api.previewOrder(req);
      this.renderPreview(p);
      this.previewed = p.errors.length ? null : req;
      this.placeBtn.disabled = this.previewed === null;
    } catch (e) {
      this.showError(errorMessage(e));
    } finally {
      this.previewBtn.disabled = false;
    }
  }

  async place(): Promise<void> {
    const req = this.previewed;
    if (!req) return;
    this.placeBtn.disabled = true;
    try {
      const id = await this.api.placeOrder(req);
      this.invalidate();
      replaceChildren(this.result, h("span", { class: "ok", "data-testid": "ticket-placed", "data-order-id": id }, `Order ${id} placed`));
    } catch (e) {
      this.placeBtn.disabled = false;
      this.showError(errorMessage(e));
    }
  }

  private showError(text: string): void {
    replaceChildren(this.result, h("span", { class: "error", "data-testid": "ticket-error" }, text));
  }

  private renderPreview(p: OrderPreview): void {
    replaceChildren(
      this.previewBox,
      p.sections.map((s) =>
        h(
          "div",
          { class: "section" },
          s.header ? h("h3", {}, s.header) : null,
          h("dl", {}, s.rows.flatMap((r) => [h("dt", {}, r.title), h("dd", {}, r.value)])),
        ),
      ),
      p.warnings.map((w) => h("div", { class: "warning", "data-testid": "preview-warning" }, `⚠ ${w}`)),
      p.errors.map((w) => h("div", { class: "error", "data-testid": "preview-error" }, w)),
    );
  }
}
