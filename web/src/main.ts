// Trader Pro terminal: chart + watchlist + order ticket + account manager on one page.
import "./style.css";
import { fetchJson } from "./api/http";
import { errorMessage, TraderApi } from "./api/mapper";
import { WsClient, sameOriginWsUrl } from "./api/ws";
import { ACCOUNT_ID, RESOLUTIONS, type Resolution } from "./model";
import { AccountManager } from "./ui/account";
import { ChartView } from "./ui/chart";
import { h, setPriceDecimals } from "./ui/dom";
import { connectionIndicator } from "./ui/status";
import { OrderTicket } from "./ui/ticket";
import { Watchlist } from "./ui/watchlist";

const brokerWs = new WsClient(sameOriginWsUrl("/api/v1/broker/ws"));
const datafeedWs = new WsClient(sameOriginWsUrl("/api/v1/datafeed/ws"));
const api = new TraderApi(fetchJson, brokerWs, datafeedWs, ACCOUNT_ID);

const state = { symbol: "", resolution: "1D" as Resolution };

const chart = new ChartView(api);
const watchlist = new Watchlist(api, (s) => select(s, state.resolution));
const ticket = new OrderTicket(api, (s) => watchlist.lastQuote(s));
const account = new AccountManager(api);

const symbolSelect = h("select", { "data-testid": "symbol-select" });
symbolSelect.addEventListener("change", () => select(symbolSelect.value, state.resolution));
const resButtons = RESOLUTIONS.map((r) =>
  h("button", { class: "res", "data-testid": `res-${r}`, "data-res": r, onclick: () => select(state.symbol, r) }, r),
);
const brokerStatus = h("span", { class: "broker-status", "data-testid": "broker-status" }, "broker: —");
const banner = h("div", { class: "banner", "data-testid": "error-banner", hidden: true });

document.querySelector("#app")!.append(
  h(
    "header",
    {},
    h("h1", {}, "Trader Pro"),
    h("div", { class: "toolbar" }, symbolSelect, ...resButtons),
    h(
      "div",
      { class: "status" },
      connectionIndicator("datafeed", "conn-datafeed", datafeedWs),
      connectionIndicator("broker", "conn-broker", brokerWs),
      brokerStatus,
    ),
  ),
  banner,
  h("main", {}, watchlist.el, h("section", { class: "panel chart-panel" }, chart.el), ticket.el, account.el),
);

function select(symbol: string, resolution: Resolution): void {
  if (!symbol) return;
  if (symbol === state.symbol && resolution === state.resolution) return;
  state.symbol = symbol;
  state.resolution = resolution;
  symbolSelect.value = symbol;
  for (const b of resButtons) b.classList.toggle("active", b.dataset.res === resolution);
  watchlist.select(symbol);
  ticket.setSymbol(symbol);
  void chart.show(symbol, resolution);
}

api.onBrokerConnection((c) => {
  brokerStatus.textContent = `broker: ${c.connected ? "connected" : "disconnected"}${c.message ? ` (${c.message})` : ""}`;
  brokerStatus.dataset.connected = String(c.connected);
});

async function start(): Promise<void> {
  try {
    const symbols = await api.searchSymbols("", 50);
    // price precision per symbol (a failed resolve keeps the 2-decimal default)
    await Promise.all(
      symbols.map((s) =>
        api.resolveSymbol(s.symbol).then(
          (d) => setPriceDecimals(s.symbol, d.decimals),
          () => undefined,
        ),
      ),
    );
    symbolSelect.replaceChildren(...symbols.map((s) => h("option", { value: s.symbol }, s.symbol)));
    watchlist.setSymbols(symbols);
    account.start(symbols.map((s) => s.symbol));
    const wanted = new URLSearchParams(location.search).get("symbol");
    const first = symbols.find((s) => s.symbol === wanted) ?? symbols[0];
    if (first) select(first.symbol, state.resolution);
  } catch (e) {
    banner.textContent = `Cannot load symbols: ${errorMessage(e)}`;
    banner.hidden = false;
    setTimeout(() => void start(), 3000);
  }
}
void start();

// Test/debug hook (read-only view of the terminal's state).
declare global {
  interface Window {
    __terminal?: unknown;
  }
}
window.__terminal = {
  state,
  chart: {
    candles: () => chart.candleData(),
    last: () => chart.candleData()[chart.candleData().length - 1] ?? null,
    updates: () => chart.updates,
  },
  ws: { broker: brokerWs, datafeed: datafeedWs },
};
