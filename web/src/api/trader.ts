// The backend as a small typed facade for the UI: REST (http.ts) and the two WebSocket clients
// (ws.ts), everything in and out a model.ts type (conversions: mapper.ts).
import type {
  AccountState,
  Account,
  Brackets,
  BrokerConfig,
  BrokerConnection,
  Candle,
  Equity,
  EquityHistory,
  EquityPeriod,
  Execution,
  LeverageInfo,
  LeveragePreview,
  Order,
  OrderHistoryPage,
  OrderPreview,
  OrderRequest,
  OrderType,
  Position,
  Quote,
  Resolution,
  Side,
  SymbolDetails,
  SymbolItem,
} from "../model";
import { HttpError, query, type Http } from "./http";
import {
  fromOrderType,
  fromSide,
  toAccount,
  toBracketsBody,
  toBrokerConfig,
  toBrokerConnection,
  toCandle,
  toEquity,
  toEquityHistory,
  toAccountState,
  toExecution,
  toLeverageInfo,
  toLeveragePreview,
  toOrder,
  toOrderHistoryPage,
  toPosition,
  toPreOrder,
  toPreview,
  toQuote,
  toSymbolDetails,
  toSymbolItem,
  type B,
  type D,
  type W,
  type WireAccount,
  type WireAccountHistory,
  type WireAccountState,
  type WireBar,
  type WireBrokerConfig,
  type WireBrokerConnection,
  type WireEquity,
  type WireExecution,
  type WireLeverageInfo,
  type WireLeveragePreview,
  type WireOrderHistory,
  type WireOrderPreview,
  type WirePlacedOrder,
  type WirePosition,
  type WireQuoteData,
  type WireSearchItem,
  type WireSymbolInfo,
} from "./mapper";
import type { Subscription, WsClient } from "./ws";

export const BROKER_BASE = "/api/v1/broker";
export const DATAFEED_BASE = "/api/v1/datafeed";

/** GET /accounts: the API key's account(s); 401 (HttpError) when the key is missing or refused. */
export async function fetchAccounts(http: Http): Promise<Account[]> {
  return ((await http("GET", `${BROKER_BASE}/accounts`)) as WireAccount[]).map(toAccount);
}

function leverageBody(symbol: string, side: Side, type: OrderType, leverage: number): B["LeverageSetParams"] {
  return { symbol, orderType: fromOrderType(type), side: fromSide(side), customFields: null, leverage };
}

/** Typed access to the backend for the UI. Everything in and out is a model.ts type. */
export class TraderApi {
  constructor(
    private readonly http: Http,
    readonly brokerWs: WsClient,
    readonly datafeedWs: WsClient,
    private readonly accountId: string,
  ) {}

  // REST: broker
  getAccounts(): Promise<Account[]> {
    return fetchAccounts(this.http);
  }
  /** What the broker supports (durations for the ticket); GET /broker/config. */
  async getBrokerConfig(): Promise<BrokerConfig> {
    return toBrokerConfig((await this.http("GET", `${BROKER_BASE}/config`)) as WireBrokerConfig);
  }
  async getOrders(): Promise<Order[]> {
    return ((await this.http("GET", `${BROKER_BASE}/orders`)) as WirePlacedOrder[]).map(toOrder);
  }
  async getOrdersHistory(limit: number, before: string | null = null): Promise<OrderHistoryPage> {
    const url = `${BROKER_BASE}/orders/history${query({ limit, before })}`;
    return toOrderHistoryPage((await this.http("GET", url)) as WireOrderHistory);
  }
  async getAccountHistory(period: EquityPeriod, timeframe: string): Promise<EquityHistory> {
    const url = `${BROKER_BASE}/account/history${query({ period, timeframe })}`;
    return toEquityHistory((await this.http("GET", url)) as WireAccountHistory);
  }
  /** null from a server without GET /account/state (404). */
  async getAccountState(): Promise<AccountState | null> {
    try {
      return toAccountState((await this.http("GET", `${BROKER_BASE}/account/state`)) as WireAccountState);
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return null;
      throw e;
    }
  }
  async getPositions(): Promise<Position[]> {
    return ((await this.http("GET", `${BROKER_BASE}/positions`)) as WirePosition[]).map(toPosition);
  }
  async getExecutions(symbol: string): Promise<Execution[]> {
    const url = `${BROKER_BASE}/executions/${encodeURIComponent(symbol)}`;
    return ((await this.http("GET", url)) as WireExecution[]).map(toExecution);
  }
  async previewOrder(r: OrderRequest): Promise<OrderPreview> {
    return toPreview((await this.http("POST", `${BROKER_BASE}/orders/preview`, toPreOrder(r))) as WireOrderPreview);
  }
  async placeOrder(r: OrderRequest): Promise<string> {
    const res = (await this.http("POST", `${BROKER_BASE}/orders`, toPreOrder(r))) as B["PlaceOrderResult"];
    return res.orderId;
  }
  async modifyOrder(id: string, r: OrderRequest): Promise<string> {
    const url = `${BROKER_BASE}/orders/${encodeURIComponent(id)}`;
    return ((await this.http("PUT", url, toPreOrder(r))) as B["SuccessResponse"]).message ?? "";
  }
  async cancelOrder(id: string): Promise<string> {
    const url = `${BROKER_BASE}/orders/${encodeURIComponent(id)}`;
    return ((await this.http("DELETE", url)) as B["SuccessResponse"]).message ?? "";
  }
  async closePosition(id: string, amount?: number): Promise<string> {
    const url = `${BROKER_BASE}/positions/${encodeURIComponent(id)}${query({ amount })}`;
    return ((await this.http("DELETE", url)) as B["SuccessResponse"]).message ?? "";
  }
  async editBrackets(id: string, b: Brackets): Promise<string> {
    const url = `${BROKER_BASE}/positions/${encodeURIComponent(id)}/brackets`;
    return ((await this.http("PUT", url, toBracketsBody(b))) as B["SuccessResponse"]).message ?? "";
  }

  async getLeverageInfo(symbol: string, side: Side, type: OrderType): Promise<LeverageInfo> {
    const url = `${BROKER_BASE}/leverage/info${query({ symbol, orderType: fromOrderType(type), side: fromSide(side) })}`;
    return toLeverageInfo((await this.http("GET", url)) as WireLeverageInfo);
  }
  async previewLeverage(symbol: string, side: Side, type: OrderType, leverage: number): Promise<LeveragePreview> {
    const body = leverageBody(symbol, side, type, leverage);
    return toLeveragePreview((await this.http("POST", `${BROKER_BASE}/leverage/preview`, body)) as WireLeveragePreview);
  }
  async setLeverage(symbol: string, side: Side, type: OrderType, leverage: number): Promise<number> {
    const body = leverageBody(symbol, side, type, leverage);
    return Number(((await this.http("PUT", `${BROKER_BASE}/leverage/set`, body)) as B["LeverageSetResult"]).leverage);
  }

  // REST: datafeed
  async searchSymbols(text = "", max = 50): Promise<SymbolItem[]> {
    const url = `${DATAFEED_BASE}/search${query({ user_input: text, max_results: max })}`;
    return ((await this.http("GET", url)) as WireSearchItem[]).map(toSymbolItem);
  }
  async resolveSymbol(symbol: string): Promise<SymbolDetails> {
    const url = `${DATAFEED_BASE}/resolve/${encodeURIComponent(symbol)}`;
    return toSymbolDetails((await this.http("GET", url)) as WireSymbolInfo);
  }
  async getBars(symbol: string, resolution: Resolution, fromMs: number, toMs: number, countBack = 300): Promise<Candle[]> {
    const url =
      `${DATAFEED_BASE}/bars` +
      query({ symbol, resolution, from_time: Math.floor(fromMs), to_time: Math.floor(toMs), count_back: countBack });
    const res = (await this.http("GET", url)) as D["GetBarsResponse"];
    return res.bars.map(toCandle);
  }

  // streams: broker (subscription payload {"accountId"})
  private account(): W["OrderSubscriptionRequest"] {
    return { accountId: this.accountId };
  }
  onOrders(fn: (o: Order) => void, onConfirmed?: () => void): Subscription {
    return this.brokerWs.subscribe<WirePlacedOrder>("orders", this.account(), (o) => fn(toOrder(o)), { onConfirmed });
  }
  onPositions(fn: (p: Position) => void, onConfirmed?: () => void): Subscription {
    return this.brokerWs.subscribe<WirePosition>("positions", this.account(), (p) => fn(toPosition(p)), { onConfirmed });
  }
  onExecutions(fn: (e: Execution) => void, onConfirmed?: () => void): Subscription {
    return this.brokerWs.subscribe<WireExecution>("executions", this.account(), (e) => fn(toExecution(e)), { onConfirmed });
  }
  onEquity(fn: (e: Equity) => void): Subscription {
    return this.brokerWs.subscribe<WireEquity>("equity", this.account(), (e) => fn(toEquity(e)));
  }
  onBrokerConnection(fn: (c: BrokerConnection) => void): Subscription {
    return this.brokerWs.subscribe<WireBrokerConnection>("broker-connection", this.account(), (c) =>
      fn(toBrokerConnection(c)),
    );
  }

  // streams: datafeed
  onBars(symbol: string, resolution: Resolution, fn: (c: Candle) => void, onConfirmed?: () => void): Subscription {
    const req: W["BarsSubscriptionRequest"] = { symbol, resolution };
    return this.datafeedWs.subscribe<WireBar>("bars", req, (b) => fn(toCandle(b)), { onConfirmed });
  }
  onQuotes(symbols: string[], fastSymbols: string[], fn: (q: Quote) => void): Subscription {
    const req: W["QuoteDataSubscriptionRequest"] = { symbols, fast_symbols: fastSymbols };
    return this.datafeedWs.subscribe<WireQuoteData>("quotes", req, (q) => fn(toQuote(q)));
  }
}
