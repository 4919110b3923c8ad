// Trader Pro terminal: chart + watchlist + order ticket + account manager on one page.
// Start-up: GET /accounts (with the session's API key, if any) decides between the sign-in form
// (AUTH=required without an accepted key) and the terminal; no socket opens before that.
import "./style.css";
import { makeHttp } from "./api/http";
import { errorMessage } from "./api/mapper";
import { fetchAccounts, TraderApi } from "./api/trader";
import { WsClient, sameOriginWsUrl } from "./api/ws";
import { ConnectionWatch } from "./connection";
import { RESOLUTIONS, type Account, type Resolution } from "./model";
import { REFUSED, Session } from "./session";
import { AccountManager } from "./ui/account";
import { ChartView } from "./ui/chart";
import { h, setPriceDecimals } from "./ui/dom";
import { signInForm } from "./ui/signin";
import { ConnectionBanner, connectionIndicator } from "./ui/status";
import { OrderTicket } from "./ui/ticket";
import { Watchlist } from "./ui/watchlist";

declare global {
  interface Window {
    __terminal?: unknown;
  }
}

const root = document.querySelector("#app")!;
const session = new Session(sessionStorage, (key) => fetchAccounts(makeHttp(key)));

async function boot(): Promise<void> {
  let result = await session.resume();
  while (result.kind === "unreachable") {
    root.replaceChildren(h("div", { class: "banner", "data-testid": "error-banner" }, `${result.message} (retrying)`));
    await new Promise((r) => setTimeout(r, 3000));
    result = await session.resume();
  }
  if (result.kind === "needs-key") result = await signInForm(root, session, session.takeMessage() ?? result.message);
  startTerminal(result.key, result.account);
}

function startTerminal(key: string | null, account: Account): void {
  const brokerWs = new WsClient(sameOriginWsUrl("/api/v1/broker/ws", key));
  const datafeedWs = new WsClient(sameOriginWsUrl("/api/v1/datafeed/ws", key));
  const api = new TraderApi(makeHttp(key), brokerWs, datafeedWs, account.id);

  const state = { symbol: "", resolution: "1D" as Resolution };

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
      else if (s === "closed" && brokerWasOpen) void checkKeyOnDrop(key, brokerWs, datafeedWs);
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
  const banner = h("div", { class: "banner", "data-testid": "error-banner", hidden: true });
  const signOut =
    key === null
      ? null
      : h(
          "button",
          {
            "data-testid": "sign-out",
            onclick: () => {
              session.signOut();
              brokerWs.close();
              datafeedWs.close();
              location.reload();
            },
          },
          "Sign out",
        );

  root.replaceChildren(
    h(
      "header",
      {},
      h("h1", {}, "Trader Pro"),
      h("div", { class: "toolbar" }, symbolSelect, ...resButtons),
      h(
        "div",
        { class: "status" },
        h(
          "span",
          { class: "account-id", "data-testid": "account", "data-account-id": account.id, title: `currency ${account.currency}` },
          h("b", { "data-testid": "account-name" }, account.name),
          " ",
          h("small", { "data-testid": "account-id" }, account.id),
        ),
        connectionIndicator("datafeed", "conn-datafeed", datafeedWs),
        connectionIndicator("broker", "conn-broker", brokerWs),
        brokerStatus,
        signOut,
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
      // price precision per symbol (a failed resolve keeps the 2-decimal default)
      await Promise.all(
        symbols.map((s) =>
          api.resolveSymbol(s.symbol).then(
            (d) => setPriceDecimals(s.symbol, d.decimals),
            () => undefined,
          ),
        ),
      );
      banner.hidden = true;
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
}

let lastKeyCheck = 0;

/** A refused handshake looks like a drop: ask GET /accounts; a refused key goes back to the form. */
async function checkKeyOnDrop(key: string, ...sockets: WsClient[]): Promise<void> {
  if (Date.now() - lastKeyCheck < 5000) return;
  lastKeyCheck = Date.now();
  if (await session.stillValid(key)) return;
  for (const s of sockets) s.close();
  session.signOut(REFUSED);
  location.reload();
}

void boot();
