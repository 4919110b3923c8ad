// With src/api/trader.ts (the facade), the only module that uses the backend's generated types
// (src/generated/*): it converts wire shapes to the UI's own model (src/model.ts) and back.
import type { components as Broker } from "../generated/broker_v1";
import type { components as Datafeed } from "../generated/datafeed_v1";
import type { components as Ws } from "../generated/ws_types";
import type {
  Account,
  AccountState,
  Brackets,
  BrokerConfig,
  BrokerConnection,
  Candle,
  DurationType,
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
  OrderStatus,
  OrderType,
  Position,
  Quote,
  Resolution,
  Side,
  SymbolDetails,
  SymbolItem,
} from "../model";
import { HttpError } from "./http";

export type B = Broker["schemas"];
export type D = Datafeed["schemas"];
export type W = Ws["schemas"];

export type WirePlacedOrder = B["PlacedOrder"];
export type WirePreOrder = B["PreOrder"];
export type WirePosition = B["Position"];
export type WireExecution = B["Execution"];
export type WireOrderPreview = B["OrderPreviewResult"];
export type WireBracketsBody = B["Body_editPositionBrackets"];
export type WireAccount = B["Account"];
export type WireOrderHistory = B["OrderHistory"];
export type WireAccountHistory = B["PortfolioHistory"];
export type WireAccountState = B["AccountState"];
export type WireLeverageInfo = B["LeverageInfo"];
export type WireBrokerConfig = B["BrokerConfig"];
export type WireLeveragePreview = B["LeveragePreviewResult"];
export type WireBar = D["Bar"];
export type WireQuoteData = D["QuoteData"];
export type WireQuoteValues = D["QuoteValues"];
export type WireSearchItem = D["SearchSymbolResultItem"];
export type WireSymbolInfo = D["SymbolInfo"];
export type WireEquity = W["EquityData"];
export type WireBrokerConnection = W["BrokerConnectionStatus"];

// ---- enums ---------------------------------------------------------------------------------

const ORDER_TYPES: Record<number, OrderType> = { 1: "limit", 2: "market", 3: "stop", 4: "stop-limit" };
const ORDER_STATUSES: Record<number, OrderStatus> = {
  1: "canceled",
  2: "filled",
  3: "inactive",
  4: "placing",
  5: "rejected",
  6: "working",
};

export function toSide(s: B["Side"] | number): Side {
  return Number(s) < 0 ? "sell" : "buy";
}
export function fromSide(s: Side): B["Side"] {
  return s === "sell" ? -1 : 1;
}
export function toOrderType(t: B["OrderType"] | number): OrderType {
  return ORDER_TYPES[Number(t)] ?? "market";
}
export function fromOrderType(t: OrderType): B["OrderType"] {
  switch (t) {
    case "limit":
      return 1;
    case "market":
      return 2;
    case "stop":
      return 3;
    case "stop-limit":
      return 4;
  }
}
export function toOrderStatus(s: B["OrderStatus"] | number): OrderStatus {
  return ORDER_STATUSES[Number(s)] ?? "unknown";
}

const num = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

// ---- broker ----------------------------------------------------------------------------------

export function toOrder(o: WirePlacedOrder): Order {
  return {
    id: o.id,
    symbol: o.symbol,
    type: toOrderType(o.type),
    side: toSide(o.side),
    qty: Number(o.qty),
    status: toOrderStatus(o.status),
    limitPrice: num(o.limitPrice),
    stopPrice: num(o.stopPrice),
    takeProfit: num(o.takeProfit),
    stopLoss: num(o.stopLoss),
    filledQty: num(o.filledQty) ?? 0,
    avgPrice: num(o.avgPrice),
    updateTime: num(o.updateTime),
    parentId: o.parentId ?? null,
    duration: o.duration ? { type: o.duration.type, datetime: o.duration.datetime ?? null } : null,
  };
}

/** A full PreOrder: every optional key present, `null` when unset (as the original frontend). */
export function toPreOrder(r: OrderRequest): WirePreOrder {
  const needsLimit = r.type === "limit" || r.type === "stop-limit";
  const needsStop = r.type === "stop" || r.type === "stop-limit";
  return {
    symbol: r.symbol,
    type: fromOrderType(r.type),
    side: fromSide(r.side),
    qty: r.qty,
    limitPrice: needsLimit ? (r.limitPrice ?? null) : null,
    stopPrice: needsStop ? (r.stopPrice ?? null) : null,
    takeProfit: r.takeProfit ?? null,
    stopLoss: r.stopLoss ?? null,
    guaranteedStop: null,
    trailingStopPips: null,
    stopType: null,
    seenPrice: null,
    currentQuotes: null,
    clientOrderId: null,
    duration: r.duration ?? null,
  };
}

/** The order as a request again (for modify: full PreOrder with a new qty/price). */
export function orderToRequest(o: Order, change: Partial<OrderRequest> = {}): OrderRequest {
  return {
    symbol: o.symbol,
    type: o.type,
    side: o.side,
    qty: o.qty,
    limitPrice: o.limitPrice,
    stopPrice: o.stopPrice,
    takeProfit: o.takeProfit,
    stopLoss: o.stopLoss,
    ...change,
  };
}

export function toPosition(p: WirePosition): Position {
  return { id: p.id, symbol: p.symbol, qty: Number(p.qty), side: toSide(p.side), avgPrice: Number(p.avgPrice) };
}

export function toExecution(e: WireExecution): Execution {
  return { symbol: e.symbol, price: Number(e.price), qty: Number(e.qty), side: toSide(e.side), time: Number(e.time), commission: e.commission == null ? null : Number(e.commission) };
}

export function toAccountState(s: WireAccountState): AccountState {
  return {
    balance: Number(s.balance),
    equity: Number(s.equity),
    marginUsed: Number(s.marginUsed),
    buyingPower: Number(s.buyingPower),
    marginCheck: Boolean(s.marginCheck),
  };
}

export function toEquity(e: WireEquity): Equity {
  return {
    equity: Number(e.equity),
    balance: Number(e.balance),
    unrealizedPL: Number(e.unrealizedPL),
    realizedPL: Number(e.realizedPL),
  };
}

export function toBrokerConnection(c: WireBrokerConnection): BrokerConnection {
  return { connected: Number(c.status) === 1, message: c.message ?? null, time: Number(c.timestamp) };
}

export function toPreview(p: WireOrderPreview): OrderPreview {
  return {
    sections: p.sections.map((s) => ({
      header: s.header ?? null,
      rows: s.rows.map((r) => ({ title: r.title, value: r.value })),
    })),
    warnings: p.warnings ?? [],
    errors: p.errors ?? [],
  };
}

export function toBracketsBody(b: Brackets): WireBracketsBody {
  return {
    brackets: { takeProfit: b.takeProfit, stopLoss: b.stopLoss, guaranteedStop: null, trailingStopPips: null },
    customFields: null,
  };
}

export function toOrderHistoryPage(p: WireOrderHistory): OrderHistoryPage {
  return { orders: p.orders.map(toOrder), next: p.next ?? null };
}

export function toEquityHistory(h: WireAccountHistory): EquityHistory {
  const nums = (a: (number | null)[] | undefined) => (a ?? []).map((v) => (v === null ? null : Number(v)));
  return {
    timestamp: h.timestamp.map((t) => Number(t) * 1000),
    timeframe: h.timeframe,
    equity: nums(h.equity),
    profitLoss: nums(h.profit_loss),
    profitLossPct: nums(h.profit_loss_pct),
    baseValue: Number(h.base_value),
  };
}

export function toAccount(a: WireAccount): Account {
  return { id: a.id, name: a.name, currency: a.currency };
}

/** GET /broker/config → what the ticket offers: the durations' types, in the server's order. */
export function toBrokerConfig(c: WireBrokerConfig): BrokerConfig {
  const durations = c.durations.map((d) => d.value as DurationType);
  const fallback = c.defaultDuration as DurationType;
  return {
    durations,
    defaultDuration: durations.includes(fallback) ? fallback : null,
    supportMargin: c.configFlags?.supportMargin === true,
  };
}

export function toLeverageInfo(l: WireLeverageInfo): LeverageInfo {
  return { title: l.title, leverage: Number(l.leverage), min: Number(l.min), max: Number(l.max), step: Number(l.step) };
}

export function toLeveragePreview(p: WireLeveragePreview): LeveragePreview {
  return { infos: p.infos ?? [], warnings: p.warnings ?? [], errors: p.errors ?? [] };
}


// ---- datafeed -------------------------------------------------------------------------------

export function toCandle(b: WireBar): Candle {
  return {
    time: Number(b.time),
    open: Number(b.open),
    high: Number(b.high),
    low: Number(b.low),
    close: Number(b.close),
    volume: Number(b.volume ?? 0),
  };
}

export function toQuote(q: WireQuoteData): Quote {
  const v = q.v as Partial<WireQuoteValues> & { error?: unknown };
  if (q.s !== "ok" || typeof v.lp !== "number") {
    return { ok: false, symbol: q.n, error: typeof v.error === "string" ? v.error : "no data" };
  }
  return {
    ok: true,
    symbol: q.n,
    last: v.lp,
    ask: Number(v.ask),
    bid: Number(v.bid),
    spread: Number(v.spread),
    change: Number(v.ch),
    changePct: Number(v.chp),
    volume: Number(v.volume ?? 0),
  };
}

export function toSymbolItem(s: WireSearchItem): SymbolItem {
  return { symbol: s.symbol, description: s.description, exchange: s.exchange, type: s.type };
}

export function toSymbolDetails(s: WireSymbolInfo): SymbolDetails {
  const scale = Number(s.pricescale) > 0 ? Number(s.pricescale) : 100;
  const minmov = Number(s.minmov) > 0 ? Number(s.minmov) : 1;
  return {
    symbol: s.name,
    description: s.description,
    decimals: Math.max(0, Math.round(Math.log10(scale))),
    minMove: minmov / scale,
  };
}

// ---- errors -----------------------------------------------------------------------------------

type WireValidationError = B["ValidationError"];

/** The server's message: {"detail":"..."} or 422 {"detail":[{loc,msg}]} → "limitPrice: Input should be ...". */
export function errorMessage(err: unknown): string {
  if (err instanceof HttpError) {
    const body = err.body as { detail?: unknown } | string | null;
    const detail = body && typeof body === "object" ? body.detail : undefined;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) {
      const items = (detail as WireValidationError[]).map((d) => {
        const loc = (d.loc ?? []).filter((p, i) => !(i === 0 && (p === "body" || p === "query" || p === "path")));
        return loc.length ? `${loc.join(".")}: ${d.msg}` : d.msg;
      });
      if (items.length) return items.join("; ");
    }
    if (typeof body === "string" && body) return `HTTP ${err.status}: ${body}`;
    return `HTTP ${err.status}`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

