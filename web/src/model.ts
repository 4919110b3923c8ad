// The UI's own types. Nothing here depends on the backend's generated types:
// src/api/mapper.ts is the only place that converts between the two.

export type Side = "buy" | "sell";
export type OrderType = "market" | "limit" | "stop" | "stop-limit";
export type OrderStatus = "canceled" | "filled" | "inactive" | "placing" | "rejected" | "working" | "unknown";

export interface Order {
  id: string;
  symbol: string;
  type: OrderType;
  side: Side;
  qty: number;
  status: OrderStatus;
  limitPrice: number | null;
  stopPrice: number | null;
  takeProfit: number | null;
  stopLoss: number | null;
  filledQty: number;
  avgPrice: number | null;
  updateTime: number | null;
  /** bracket legs (take-profit / stop-loss) point at their parent order or position */
  parentId: string | null;
  /** time in force; null = GTC */
  duration: Duration | null;
}

export type DurationType = "DAY" | "GTC" | "IOC" | "FOK" | "GTD";

export interface Duration {
  type: DurationType;
  /** Unix ms, GTD only */
  datetime: number | null;
}

/** What the order ticket (or a modify dialog) asks for. */
export interface OrderRequest {
  symbol: string;
  type: OrderType;
  side: Side;
  qty: number;
  limitPrice?: number | null;
  stopPrice?: number | null;
  takeProfit?: number | null;
  stopLoss?: number | null;
  duration?: Duration | null;
}

export interface Position {
  id: string;
  symbol: string;
  qty: number;
  side: Side;
  avgPrice: number;
}

export interface Brackets {
  takeProfit: number | null;
  stopLoss: number | null;
}

export interface Execution {
  symbol: string;
  price: number;
  qty: number;
  side: Side;
  /** Unix ms */
  time: number;
  /** commission charged (COMMISSION setting); null when the server reports none */
  commission: number | null;
}

export interface Equity {
  equity: number;
  balance: number;
  unrealizedPL: number;
  realizedPL: number;
}

/** GET /account/state: the account's money now (buying power = equity − margin used). */
export interface AccountState {
  balance: number;
  equity: number;
  marginUsed: number;
  buyingPower: number;
  marginCheck: boolean;
}

export interface BrokerConnection {
  connected: boolean;
  message: string | null;
  time: number;
}

export interface OrderPreview {
  sections: { header: string | null; rows: { title: string; value: string }[] }[];
  warnings: string[];
  errors: string[];
}

export interface SymbolItem {
  symbol: string;
  description: string;
  exchange: string;
  type: string;
}

/** Resolved symbol: price precision from the symbol's pricescale/minmov. */
export interface SymbolDetails {
  symbol: string;
  description: string;
  /** decimals to show (log10 of pricescale) */
  decimals: number;
  /** smallest price step (minmov / pricescale) */
  minMove: number;
}

export interface Candle {
  /** Unix ms (bar open time) */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export type Quote =
  | {
      ok: true;
      symbol: string;
      last: number;
      ask: number;
      bid: number;
      spread: number;
      change: number;
      changePct: number;
      volume: number;
    }
  | { ok: false; symbol: string; error: string };

export type Resolution = "1" | "5" | "15" | "60" | "1D" | "1W";
export const RESOLUTIONS: readonly Resolution[] = ["1", "5", "15", "60", "1D", "1W"];

/** Duration of one bar in ms (1W = 7 days). */
export function resolutionMs(r: Resolution): number {
  const minute = 60_000;
  switch (r) {
    case "1D":
      return 1440 * minute;
    case "1W":
      return 7 * 1440 * minute;
    default:
      return Number(r) * minute;
  }
}

/** The account of AUTH=off (the terminal takes its account from GET /accounts). */
export const ACCOUNT_ID = "DEMO-ACCOUNT";

/** An account the API key may trade (GET /accounts). */
export interface Account {
  id: string;
  name: string;
  currency: string;
}

/** Leverage of one symbol (GET /leverage/info). */
export interface LeverageInfo {
  title: string;
  leverage: number;
  min: number;
  max: number;
  step: number;
}

export interface LeveragePreview {
  infos: string[];
  warnings: string[];
  errors: string[];
}

export type EquityPeriod = "1D" | "1W" | "1M" | "1A";

/** GET /account/history (Alpaca's portfolio-history shape; the wire's Unix seconds as ms here). */
export interface EquityHistory {
  timestamp: number[];
  timeframe: string;
  equity: (number | null)[];
  profitLoss: (number | null)[];
  profitLossPct: (number | null)[];
  baseValue: number;
}

/** A page of GET /orders/history: final orders, newest first; `next` is the cursor of the older page. */
export interface OrderHistoryPage {
  orders: Order[];
  next: string | null;
}

/** What the broker supports (GET /broker/config); the ticket offers these durations. */
export interface BrokerConfig {
  durations: DurationType[];
  defaultDuration: DurationType | null;
  /** configFlags.supportMargin: the server checks margin (MARGIN_CHECK=on); false when absent */
  supportMargin: boolean;
}
