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
import type { TraderApi } from "../api/mapper";
import { errorMessage } from "../api/mapper";
import type { Subscription } from "../api/ws";
import { resolutionMs, type Candle, type Resolution } from "../model";
import { decimalsOf, fmtPrice, fmtTime, h } from "./dom";

const UP = "#26a69a";
const DOWN = "#ef5350";

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
    this.candles.setData(this.data.map(toCandlePoint));
    this.volumes.setData(this.data.map(toVolumePoint));
    this.chart.timeScale().fitContent();
    this.render();
    this.sub = this.api.onBars(symbol, resolution, (c) => {
      if (gen === this.generation) this.apply(c);
    });
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
