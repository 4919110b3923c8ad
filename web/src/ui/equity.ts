// The equity curve (lightweight-charts area series): a period of GET /account/history, kept live
// by the equity stream; period buttons 1D / 1W / 1M / 1A.
import { AreaSeries, ColorType, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from "lightweight-charts";
import { HttpError } from "../api/http";
import { errorMessage } from "../api/mapper";
import type { TraderApi } from "../api/trader";
import { historyPoints, liveEquity, PERIODS, seriesPoints, TIMEFRAME, type EquityPoint, type EquitySeries } from "../equity";
import type { EquityPeriod } from "../model";
import { h } from "./dom";

export class EquityChart {
  readonly el: HTMLElement;
  private readonly box = h("div", { class: "equity-box", "data-testid": "equity-chart" });
  private readonly message = h("div", { class: "chart-message", "data-testid": "equity-message" });
  private readonly buttons: HTMLButtonElement[];
  private chart: IChartApi | null = null;
  private series: ISeriesApi<"Area"> | null = null;
  private series_: EquitySeries = { grid: [], live: null };
  private period: EquityPeriod = "1D";
  private generation = 0;
  /** the REST points of the period shown (test hook: they must equal GET /account/history) */
  historyLoaded: EquityPoint[] = [];
  /** live values applied (test hook) */
  liveUpdates = 0;

  constructor(private readonly api: TraderApi) {
    this.buttons = PERIODS.map((p) =>
      h("button", { class: "res", "data-testid": `equity-period-${p}`, "data-period": p, onclick: () => void this.show(p) }, p),
    );
    this.el = h(
      "div",
      { class: "equity-curve", "data-testid": "equity-curve" },
      h("div", { class: "equity-head" }, h("small", {}, "Equity curve"), h("span", { class: "periods" }, ...this.buttons)),
      h("div", { class: "equity-wrap" }, this.message, this.box),
    );
  }

  /** Creates the chart once the element is in the document (it sizes itself to its box). */
  start(): void {
    if (this.chart) return;
    this.chart = createChart(this.box, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: "#131722" }, textColor: "#d1d4dc", attributionLogo: false },
      grid: { vertLines: { color: "#1f2430" }, horzLines: { color: "#1f2430" } },
      timeScale: { timeVisible: true, secondsVisible: false },
    });
    this.series = this.chart.addSeries(AreaSeries, {
      lineColor: "#2962ff",
      topColor: "rgba(41,98,255,0.35)",
      bottomColor: "rgba(41,98,255,0.02)",
      lineWidth: 2,
      priceFormat: { type: "price", precision: 2, minMove: 0.01 },
    });
    void this.show(this.period);
  }

  /** The account switcher's teardown: an in-flight history is dropped, the chart removed. */
  dispose(): void {
    this.generation++;
    delete this.el.dataset.loaded;
    this.chart?.remove();
    this.chart = null;
    this.series = null;
  }

  data(): EquityPoint[] {
    return seriesPoints(this.series_);
  }

  async show(period: EquityPeriod): Promise<void> {
    const gen = ++this.generation;
    this.period = period;
    for (const b of this.buttons) b.classList.toggle("active", b.dataset.period === period);
    this.el.dataset.period = period;
    delete this.el.dataset.loaded;
    this.message.textContent = "Loading…";
    try {
      const history = await this.api.getAccountHistory(period, TIMEFRAME[period].timeframe);
      if (gen !== this.generation) return;
      this.historyLoaded = historyPoints(history);
      this.series_ = { grid: this.historyLoaded.slice(), live: null };
      this.liveUpdates = 0;
      this.message.textContent = this.historyLoaded.length ? "" : "No history yet";
      this.series?.setData(this.historyLoaded.map(toPoint));
      this.chart?.timeScale().fitContent();
      this.el.dataset.loaded = String(this.historyLoaded.length);
    } catch (e) {
      if (gen !== this.generation) return;
      this.message.textContent =
        e instanceof HttpError && (e.status === 404 || e.status === 405) ? "This server keeps no equity history" : `Cannot load the equity history: ${errorMessage(e)}`;
    }
  }

  /** A value of the equity stream: the current grid step's point follows it. */
  live(equity: number, now = Date.now()): void {
    if (this.el.dataset.loaded === undefined) return;
    const before = this.series_;
    const next = liveEquity(before, now, equity, TIMEFRAME[this.period].ms);
    if (next === before) return;
    this.series_ = next;
    const points = seriesPoints(next);
    // a new grid point may sit before the old trailing point: redraw; else move the last point
    if (next.grid.length !== before.grid.length) this.series?.setData(points.map(toPoint));
    else this.series?.update(toPoint(points[points.length - 1]!));
    this.liveUpdates++;
    if (this.message.textContent) this.message.textContent = "";
  }
}

function toPoint(p: EquityPoint) {
  return { time: Math.floor(p.time / 1000) as UTCTimestamp, value: p.value };
}
