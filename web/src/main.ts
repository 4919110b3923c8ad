// Trader Pro terminal: chart + watchlist + order ticket + account manager on one page.
// Start-up: GET /accounts (with the session's API key, if any) decides between the sign-in form
// (AUTH=required without an accepted key) and the terminal; no socket opens before that.
// Switching accounts (ui/switcher.ts) disposes the whole terminal — both sockets closed for good,
// every view with its rows and charts dropped — and starts a new one with the other key, on the
// same symbol and resolution: nothing of the previous account can be left on the page.
import "./style.css";
import { makeHttp } from "./api/http";
import { errorMessage } from "./api/mapper";
import { fetchAccounts, TraderApi } from "./api/trader";
import { WsClient, sameOriginWsUrl } from "./api/ws";
import { ConnectionWatch } from "./connection";
import { RESOLUTIONS, type Account, type Resolution } from "./model";
import { Session } from "./session";
import { Switcher, type Outcome } from "./switcher";
import { AccountManager } from "./ui/account";
import { ChartView } from "./ui/chart";
import { h, setPriceDecimals } from "./ui/dom";
import { signInForm } from "./ui/signin";
import { ConnectionBanner, connectionIndicator } from "./ui/status";
import { accountSwitcher } from "./ui/switcher";
import { OrderTicket } from "./ui/ticket";
import { Watchlist } from "./ui/watchlist";

declare global {
  interface Window {
    __terminal?: unknown;
  }
}

const root = document.querySelector("#app")!;
const session = new Session(sessionStorage, (key) => fetchAccounts(makeHttp(key)));
const switcher = new Switcher(session);

interface View {
  symbol: string;
  resolution: Resolution;
}

interface Terminal {
  view(): View;
  dispose(): void;
}

let terminal: Terminal | null = null;

/** What the switcher (or a refused key) decided: the terminal again with another key, or the sign-in form. */
function apply(o: Outcome): void {
  if (o.kind === "stay") return;
  const view = terminal?.view() ?? null;
  terminal?.dispose();
  terminal = null;
  if (o.kind === "start") {
    terminal = startTerminal(o.key, o.account, view, o.notice);
    return;
  }
  void signInForm(root, session, o.message).then((r) => apply({ kind: "start", key: r.key, account: r.account, notice: null }));
}

async function boot(): Promise<void> {
  let result = await session.resume();
  while (result.kind === "unreachable") {
    root.replaceChildren(h("div", { class: "banner", "data-testid": "error-banner" }, `${result.message} (retrying)`));
    await new Promise((r) => setTimeout(r, 3000));
    result = await session.resume();
  }
  if (result.kind === "needs-key") result = await signInForm(root, session, session.takeMessage() ?? result.message);
  apply({ kind: "start", key: result.key, account: result.account, notice: null });
}

function startTerminal(key: string | null, account: Account, view: View | null, notice: string | null): Terminal {
  let disposed = false;
  const brokerWs = new WsClient(sameOriginWsUrl("/api/v1/broker/ws", key));
  const datafeedWs = new WsClient(sameOriginWsUrl("/api/v1/datafeed/ws", key));
  const api = new TraderApi(makeHttp(key), brokerWs, datafeedWs, account.id);

  const state = { symbol: "", resolution: view?.resolution ?? ("1D" as Resolution) };

  const chart = new ChartView(api);
  const watchlist = new Watchlist(api, (s) => select(s, state.resolution));
  const ticket = new OrderTicket(api, (s) => watchlist.lastQuote(s));
  const manager = new AccountManager(api);

  const connBanner = new ConnectionBanner();
  const watch = new ConnectionWatch({ broker: ["orders", "positions", "executions"], datafeed: ["bars"] }, (v) =>
    connBanner.render(v),
  );
  brokerWs.onState((s) => watch.socket("broker", s));
  let brokerWasOpen = false;
  if (key !== null) {
    brokerWs.onState((s) => {
      if (s === "open") brokerWasOpen = true;
      else if (s === "closed" && brokerWasOpen) void checkKeyOnDrop(key);
    });
  }
  datafeedWs.onState((s) => watch.socket("datafeed", s));
  manager.onReloaded = (kind) => watch.reloaded("broker", kind);
  chart.onReloaded = () => watch.reloaded("datafeed", "bars");

  const symbolSelect = h("select", { "data-testid": "symbol-select" });
  symbolSelect.addEventListener("change", () => select(symbolSelect.value, state.resolution));
  const resButtons = RESOLUTIONS.map((r) =>
    h("button", { class: "res", "data-testid": `res-${r}`, "data-res": r, onclick: () => select(state.symbol, r) }, r),
  );
  const brokerStatus = h("span", { class: "broker-status", "data-testid": "broker-status" }, "broker: —");
  const banner = h("div", { class: "banner", "data-testid": "error-banner", hidden: !notice }, notice ?? "");

  root.replaceChildren(
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
        // AUTH=off (no key): the one account, no menu
        accountSwitcher(account, key === null ? null : switcher, apply),
      ),
    ),
    connBanner.banner,
    connBanner.notice,
    banner,
    h("main", {}, watchlist.el, h("section", { class: "panel chart-panel" }, chart.el), ticket.el, manager.el),
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
      if (disposed) return;
      // price precision per symbol (a failed resolve keeps the 2-decimal default)
      await Promise.all(
        symbols.map((s) =>
          api.resolveSymbol(s.symbol).then(
            (d) => setPriceDecimals(s.symbol, d.decimals),
            () => undefined,
          ),
        ),
      );
      if (disposed) return;
      if (!notice) banner.hidden = true;
      symbolSelect.replaceChildren(...symbols.map((s) => h("option", { value: s.symbol }, s.symbol)));
      watchlist.setSymbols(symbols);
      manager.start(symbols.map((s) => s.symbol));
      // the ticket's durations and whether margin figures apply; a broker without GET /config keeps
      // the selector hidden (GTC) and shows no Buying Power / Margin Used
      api.getBrokerConfig().then(
        (config) => {
          ticket.setConfig(config);
          manager.setSupportMargin(config.supportMargin);
        },
        () => undefined,
      );
      const wanted = view?.symbol || new URLSearchParams(location.search).get("symbol");
      const first = symbols.find((s) => s.symbol === wanted) ?? symbols[0];
      if (first) select(first.symbol, state.resolution);
    } catch (e) {
      if (disposed) return;
      banner.textContent = `Cannot load symbols: ${errorMessage(e)}`;
      banner.hidden = false;
      setTimeout(() => void start(), 3000);
    }
  }
  void start();

  // Test/debug hook (read-only view of the terminal's state).
  window.__terminal = {
    state,
    account,
    chart: {
      candles: () => chart.candleData(),
      last: () => chart.candleData()[chart.candleData().length - 1] ?? null,
      updates: () => chart.updates,
      olderLoads: () => chart.olderLoads,
      showOldest: () => chart.showOldest(),
    },
    equity: {
      history: () => manager.equityChart.historyLoaded,
      points: () => manager.equityChart.data(),
      liveUpdates: () => manager.equityChart.liveUpdates,
    },
    ws: { broker: brokerWs, datafeed: datafeedWs },
    connection: () => watch.current(),
  };

  let lastKeyCheck = 0;
  /** A refused handshake looks like a drop: ask GET /accounts; a refused key gives way to the next account or the form. */
  async function checkKeyOnDrop(key: string): Promise<void> {
    if (Date.now() - lastKeyCheck < 5000) return;
    lastKeyCheck = Date.now();
    if ((await session.stillValid(key)) || disposed) return;
    const o = await switcher.revoked();
    if (o && !disposed) apply(o);
  }

  return {
    view: () => ({ symbol: state.symbol, resolution: state.resolution }),
    dispose: () => {
      disposed = true;
      brokerWs.dispose();
      datafeedWs.dispose();
      chart.dispose();
      manager.dispose();
      connBanner.dispose();
    },
  };
}

void boot();
