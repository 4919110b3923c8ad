// Candlestick + volume chart of one symbol/resolution: REST history, then live `bars` updates.
import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from "lightweight-charts";
import type { TraderApi } from "../api/trader";
import { errorMessage } from "../api/mapper";
import type { Subscription } from "../api/ws";
import { mergeBars, olderPage, wantsOlder } from "../bars";
import { resolutionMs, type Candle, type Resolution } from "../model";
import { decimalsOf, fmtPrice, fmtTime, h } from "./dom";

const UP = "#26a69a";
const DOWN = "#ef5350";
const SHOWN_BARS = 150;

export class ChartView {
  readonly el: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly message: HTMLElement;
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<"Candlestick">;
  private readonly volumes: ISeriesApi<"Histogram">;
  private data: Candle[] = [];
  private sub: Subscription | null = null;
  private generation = 0;
  /** Number of live updates applied (test hook). */
  updates = 0;
  /** Pages of older bars loaded by scrolling left (test hook). */
  olderLoads = 0;
  private loadingOlder = false;
  private exhausted = false;
  /** Called when the bars were reloaded after the datafeed socket reconnected. */
  onReloaded: () => void = () => undefined;
  symbol = "";
  resolution: Resolution = "1D";

  constructor(private readonly api: TraderApi) {
    this.legend = h("div", { class: "legend", "data-testid": "chart-legend" });
    this.message = h("div", { class: "chart-message", "data-testid": "chart-message" });
    const box = h("div", { class: "chart-box", "data-testid": "chart" });
    this.el = h("div", { class: "chart-wrap" }, this.legend, this.message, box);
    this.chart = createChart(box, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: "#131722" }, textColor: "#d1d4dc", attributionLogo: false },
      grid: { vertLines: { color: "#1f2430" }, horzLines: { color: "#1f2430" } },
      timeScale: { timeVisible: true, secondsVisible: false },
      rightPriceScale: { scaleMargins: { top: 0.08, bottom: 0.25 } },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      borderVisible: false,
      wickUpColor: UP,
      wickDownColor: DOWN,
    });
    this.volumes = this.chart.addSeries(HistogramSeries, { priceFormat: { type: "volume" }, priceScaleId: "" });
    this.volumes.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.chart.timeScale().subscribeVisibleLogicalRangeChange((r) => {
      if (wantsOlder(r?.from, this.loadingOlder, this.exhausted) && this.data.length) void this.loadOlder();
    });
  }

  /** The account switcher's teardown: in-flight loads are dropped (generation), the chart is removed. */
  dispose(): void {
    this.generation++;
    this.sub?.unsubscribe();
    this.sub = null;
    this.chart.remove();
  }

  /** Scrolls to the oldest loaded bar (test hook: as a user dragging the chart to the right). */
  showOldest(): void {
    this.chart.timeScale().setVisibleLogicalRange({ from: -5, to: 60 });
  }

  candleData(): readonly Candle[] {
    return this.data;
  }

  /** Loads history for symbol/resolution and switches the live subscription. */
  async show(symbol: string, resolution: Resolution): Promise<void> {
    const gen = ++this.generation;
    this.symbol = symbol;
    this.resolution = resolution;
    this.sub?.unsubscribe();
    this.sub = null;
    this.data = [];
    this.exhausted = false;
    this.olderLoads = 0;
    const precision = decimalsOf(symbol);
    this.candles.applyOptions({ priceFormat: { type: "price", precision, minMove: 10 ** -precision } });
    this.updates = 0;
    this.message.textContent = "Loading…";
    this.render();
    const now = Date.now();
    try {
      const bars = await this.api.getBars(symbol, resolution, now - 400 * resolutionMs(resolution), now, 300);
      if (gen !== this.generation) return;
      this.data = bars.slice().sort((a, b) => a.time - b.time);
      this.message.textContent = bars.length ? "" : "No data";
    } catch (e) {
      if (gen !== this.generation) return;
      this.message.textContent = `Cannot load bars: ${errorMessage(e)}`;
    }
    this.setSeries();
    // the latest bars, not all of them: the left edge in view is what asks for older pages
    if (this.data.length > SHOWN_BARS + 20) {
      this.chart.timeScale().setVisibleLogicalRange({ from: this.data.length - SHOWN_BARS, to: this.data.length + 2 });
    } else this.chart.timeScale().fitContent();
    this.render();
    let confirmations = 0;
    this.sub = this.api.onBars(
      symbol,
      resolution,
      (c) => {
        if (gen === this.generation) this.apply(c);
      },
      () => {
        // a confirmation after the first one follows a reconnection: bars may have been missed
        if (confirmations++ > 0 && gen === this.generation) void this.reloadLatest(gen);
      },
    );
  }

  /** The latest page again, merged over what is loaded (older pages stay). */
  private async reloadLatest(gen: number): Promise<void> {
    const now = Date.now();
    try {
      const bars = await this.api.getBars(this.symbol, this.resolution, now - 400 * resolutionMs(this.resolution), now, 300);
      if (gen !== this.generation) return;
      this.data = mergeBars(this.data, bars);
      this.setSeries();
      this.message.textContent = this.data.length ? "" : "No data";
      this.render();
      this.onReloaded();
    } catch (e) {
      if (gen === this.generation) this.message.textContent = `Cannot load bars: ${errorMessage(e)}`;
    }
  }

  /** TradingView-style paging: the page before the oldest bar, prepended without moving the view. */
  private async loadOlder(): Promise<void> {
    const gen = this.generation;
    const first = this.data[0];
    if (!first) return;
    this.loadingOlder = true;
    try {
      const page = olderPage(first.time, resolutionMs(this.resolution));
      const bars = await this.api.getBars(this.symbol, this.resolution, page.from, page.to, page.countBack);
      if (gen !== this.generation) return;
      const older = bars.filter((b) => b.time < first.time);
      if (!older.length) {
        this.exhausted = true;
        return;
      }
      const range = this.chart.timeScale().getVisibleLogicalRange();
      const before = this.data.length;
      this.data = mergeBars(older, this.data);
      this.setSeries();
      const added = this.data.length - before;
      if (range) this.chart.timeScale().setVisibleLogicalRange({ from: range.from + added, to: range.to + added });
      this.olderLoads++;
      this.render();
    } catch (e) {
      if (gen === this.generation) this.message.textContent = `Cannot load older bars: ${errorMessage(e)}`;
    } finally {
      this.loadingOlder = false;
    }
  }

  private setSeries(): void {
    this.candles.setData(this.data.map(toCandlePoint));
    this.volumes.setData(this.data.map(toVolumePoint));
  }

  /** Live bar: update the last candle or append a new one (older bars are ignored). */
  apply(c: Candle): void {
    const last = this.data[this.data.length - 1];
    if (last && c.time < last.time) return;
    if (last && c.time === last.time) this.data[this.data.length - 1] = c;
    else this.data.push(c);
    this.candles.update(toCandlePoint(c));
    this.volumes.update(toVolumePoint(c));
    this.updates++;
    if (this.message.textContent === "No data") this.message.textContent = "";
    this.render();
  }

  private render(): void {
    const last = this.data[this.data.length - 1];
    const l = this.legend;
    l.dataset.symbol = this.symbol;
    l.dataset.resolution = this.resolution;
    l.dataset.count = String(this.data.length);
    l.dataset.updates = String(this.updates);
    if (!last) {
      l.textContent = `${this.symbol} · ${this.resolution}`;
      delete l.dataset.time;
      delete l.dataset.close;
      return;
    }
    l.dataset.time = String(last.time);
    l.dataset.close = String(last.close);
    const color = last.close >= last.open ? UP : DOWN;
    l.replaceChildren(
      h("b", {}, `${this.symbol} · ${this.resolution}`),
      ` ${fmtTime(last.time)}  `,
      h("span", { style: `color:${color}` }, `O ${fmtPrice(last.open, this.symbol)} H ${fmtPrice(last.high, this.symbol)} L ${fmtPrice(last.low, this.symbol)} C ${fmtPrice(last.close, this.symbol)}`),
      `  V ${last.volume}`,
    );
  }
}

function toCandlePoint(c: Candle) {
  return { time: (c.time / 1000) as UTCTimestamp, open: c.open, high: c.high, low: c.low, close: c.close };
}

function toVolumePoint(c: Candle) {
  return {
    time: (c.time / 1000) as UTCTimestamp,
    value: c.volume,
    color: c.close >= c.open ? "rgba(38,166,154,0.5)" : "rgba(239,83,80,0.5)",
  };
}
