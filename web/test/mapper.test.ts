import { describe, expect, it, vi } from "vitest";
import { HttpError, type Http } from "../src/api/http";
import {
  errorMessage,
  orderToRequest,
  toBracketsBody,
  toCandle,
  toEquity,
  toExecution,
  toOrder,
  toPosition,
  toPreOrder,
  toPreview,
  toQuote,
  toSymbolDetails,
  type WirePlacedOrder,
  type WireQuoteData,
} from "../src/api/mapper";
import { TraderApi } from "../src/api/trader";
import { WsClient } from "../src/api/ws";
import { FakeSocket } from "./fake-socket";

const placed: WirePlacedOrder = {
  id: "ORDER-7",
  symbol: "AAPL",
  type: 1,
  side: -1,
  qty: 10.0,
  status: 6,
  limitPrice: 101.5,
  stopPrice: null,
  takeProfit: 90.0,
  stopLoss: null,
  guaranteedStop: null,
  trailingStopPips: null,
  stopType: null,
  filledQty: 0.0,
  avgPrice: null,
  updateTime: 1795485982523,
  parentId: null,
  parentType: null,
  clientOrderId: null,
  duration: null,
};

describe("mapper: broker", () => {
  it("maps a PlacedOrder to the UI order", () => {
    expect(toOrder(placed)).toEqual({
      id: "ORDER-7",
      symbol: "AAPL",
      type: "limit",
      side: "sell",
      qty: 10,
      status: "working",
      limitPrice: 101.5,
      stopPrice: null,
      takeProfit: 90,
      stopLoss: null,
      filledQty: 0,
      avgPrice: null,
      updateTime: 1795485982523,
      parentId: null,
      duration: null,
    });
    expect(toOrder({ ...placed, type: 2, side: 1, status: 2, avgPrice: 100.25, filledQty: 10 })).toMatchObject({
      type: "market",
      side: "buy",
      status: "filled",
      avgPrice: 100.25,
      filledQty: 10,
    });
    expect(toOrder({ ...placed, status: 1 }).status).toBe("canceled");
    expect(toOrder({ ...placed, status: 3, type: 3 })).toMatchObject({ status: "inactive", type: "stop" });
    expect(toOrder({ ...placed, type: 4 }).type).toBe("stop-limit");
    // missing optional keys
    const { filledQty: _f, avgPrice: _a, ...minimal } = placed;
    expect(toOrder(minimal as WirePlacedOrder)).toMatchObject({ filledQty: 0, avgPrice: null });
  });

  it("builds a full PreOrder with every optional key present", () => {
    expect(toPreOrder({ symbol: "AAPL", type: "limit", side: "buy", qty: 5, limitPrice: 1.5 })).toEqual({
      symbol: "AAPL",
      type: 1,
      side: 1,
      qty: 5,
      limitPrice: 1.5,
      stopPrice: null,
      takeProfit: null,
      stopLoss: null,
      guaranteedStop: null,
      trailingStopPips: null,
      stopType: null,
      seenPrice: null,
      currentQuotes: null,
      clientOrderId: null,
      duration: null,
    });
    expect(toPreOrder({ symbol: "AAPL", type: "limit", side: "buy", qty: 5, limitPrice: 1.5, duration: { type: "DAY", datetime: null } }).duration).toEqual({
      type: "DAY",
      datetime: null,
    });
    expect(toOrder({ ...placed, duration: { type: "GTD", datetime: 1795485990000 } }).duration).toEqual({ type: "GTD", datetime: 1795485990000 });
    // prices irrelevant for the type are not sent; brackets are
    expect(
      toPreOrder({ symbol: "MSFT", type: "market", side: "sell", qty: 1, limitPrice: 9, stopPrice: 8, takeProfit: 7, stopLoss: 11 }),
    ).toMatchObject({ type: 2, side: -1, limitPrice: null, stopPrice: null, takeProfit: 7, stopLoss: 11 });
    expect(toPreOrder({ symbol: "X", type: "stop", side: "buy", qty: 1, limitPrice: 9, stopPrice: 8 })).toMatchObject({
      type: 3,
      limitPrice: null,
      stopPrice: 8,
    });
    expect(toPreOrder({ symbol: "X", type: "stop-limit", side: "buy", qty: 1, limitPrice: 9, stopPrice: 8 })).toMatchObject({
      type: 4,
      limitPrice: 9,
      stopPrice: 8,
    });
  });

  it("modify = the order as a full request with the changes", () => {
    const req = orderToRequest(toOrder(placed), { qty: 3, limitPrice: 99 });
    expect(toPreOrder(req)).toMatchObject({ symbol: "AAPL", type: 1, side: -1, qty: 3, limitPrice: 99, takeProfit: 90 });
  });

  it("maps an execution's commission (null from a server that sends none)", () => {
    const wire = { symbol: "AAPL", price: 150, qty: 300, side: 1, time: 5 } as const;
    expect(toExecution({ ...wire, commission: 25.5 }).commission).toBe(25.5);
    expect(toExecution({ ...wire, commission: 0 }).commission).toBe(0);
    expect(toExecution({ ...wire, commission: null }).commission).toBeNull();
    expect(toExecution(wire as unknown as Parameters<typeof toExecution>[0]).commission).toBeNull();
  });

  it("maps positions, equity, preview and brackets", () => {
    expect(toPosition({ id: "AAPL", symbol: "AAPL", qty: 20.0, side: -1, avgPrice: 105.0 })).toEqual({
      id: "AAPL",
      symbol: "AAPL",
      qty: 20,
      side: "sell",
      avgPrice: 105,
    });
    expect(toEquity({ equity: 100100.0, balance: 100000.0, unrealizedPL: 100.0, realizedPL: 0.0 })).toEqual({
      equity: 100100,
      balance: 100000,
      unrealizedPL: 100,
      realizedPL: 0,
    });
    expect(
      toPreview({
        sections: [{ header: "Order Details", rows: [{ title: "Symbol", value: "AAPL" }] }, { rows: [], header: null }],
        confirmId: "x",
        warnings: ["Market orders execute immediately at current market price"],
        errors: null,
      }),
    ).toEqual({
      sections: [
        { header: "Order Details", rows: [{ title: "Symbol", value: "AAPL" }] },
        { header: null, rows: [] },
      ],
      warnings: ["Market orders execute immediately at current market price"],
      errors: [],
    });
    expect(toBracketsBody({ takeProfit: 120, stopLoss: null })).toEqual({
      brackets: { takeProfit: 120, stopLoss: null, guaranteedStop: null, trailingStopPips: null },
      customFields: null,
    });
  });
});

describe("mapper: datafeed", () => {
  it("maps bars (ms times) and quotes", () => {
    expect(toCandle({ time: 1795478400000, open: 118.88, high: 120.78, low: 116.61, close: 120.05, volume: 1042924 })).toEqual({
      time: 1795478400000,
      open: 118.88,
      high: 120.78,
      low: 116.61,
      close: 120.05,
      volume: 1042924,
    });
    const v = {
      lp: 118.4,
      ask: 118.46,
      bid: 118.34,
      spread: 0.12,
      open_price: 118.88,
      high_price: 120.78,
      low_price: 116.61,
      prev_close_price: 117.76,
      volume: 1033158,
      ch: -0.48,
      chp: -0.4,
      short_name: "AAPL",
      exchange: "DEMO",
      description: "Demo quotes for AAPL",
      original_name: "AAPL",
    };
    expect(toQuote({ s: "ok", n: "AAPL", v })).toEqual({
      ok: true,
      symbol: "AAPL",
      last: 118.4,
      ask: 118.46,
      bid: 118.34,
      spread: 0.12,
      change: -0.48,
      changePct: -0.4,
      volume: 1033158,
    });
    expect(toQuote({ s: "error", n: "ZZZ", v: { error: "Symbol not found" } } as unknown as WireQuoteData)).toEqual({
      ok: false,
      symbol: "ZZZ",
      error: "Symbol not found",
    });
  });
});

describe("mapper: symbol details", () => {
  it("derives price precision from pricescale/minmov", () => {
    const info = {
      name: "EURUSD",
      description: "Euro / US Dollar",
      type: "forex",
      session: "24x7",
      timezone: "Etc/UTC",
      ticker: "EURUSD",
      exchange: "FX",
      listed_exchange: "FX",
      format: "price",
      pricescale: 100000,
      minmov: 1,
      has_intraday: true,
      has_daily: true,
      supported_resolutions: ["1", "1D"],
      volume_precision: 0,
      data_status: "streaming" as const,
    };
    expect(toSymbolDetails(info)).toEqual({ symbol: "EURUSD", description: "Euro / US Dollar", decimals: 5, minMove: 0.00001 });
    expect(toSymbolDetails({ ...info, pricescale: 100, minmov: 5 })).toMatchObject({ decimals: 2, minMove: 0.05 });
  });
});

describe("mapper: errors", () => {
  it("shows the server's detail string", () => {
    expect(errorMessage(new HttpError(400, { detail: "Order ORDER-9 not found" }, "x"))).toBe("Order ORDER-9 not found");
  });
  it("formats 422 validation items as 'field: message'", () => {
    const body = {
      detail: [
        { type: "float_parsing", loc: ["body", "limitPrice"], msg: "Input should be a valid number", input: "x" },
        { type: "enum", loc: ["body", "side"], msg: "Input should be 1 or -1", input: 0, ctx: { expected: "1 or -1" } },
        { type: "missing", loc: ["body"], msg: "Field required", input: null },
        { type: "x", loc: ["query", "amount"], msg: "bad" },
      ],
    };
    expect(errorMessage(new HttpError(422, body, "x"))).toBe(
      "limitPrice: Input should be a valid number; side: Input should be 1 or -1; Field required; amount: bad",
    );
  });
  it("falls back to status and text", () => {
    expect(errorMessage(new HttpError(500, "Internal Server Error", "x"))).toBe("HTTP 500: Internal Server Error");
    expect(errorMessage(new HttpError(502, null, "x"))).toBe("HTTP 502");
    expect(errorMessage(new Error("Failed to fetch"))).toBe("Failed to fetch");
  });
});

describe("TraderApi", () => {
  function make(responses: Record<string, unknown>) {
    const calls: { method: string; url: string; body?: unknown }[] = [];
    const http: Http = async (method, url, body) => {
      calls.push({ method, url, body });
      const key = `${method} ${url.split("?")[0]}`;
      if (!(key in responses)) throw new HttpError(404, { detail: "Not Found" }, key);
      return responses[key];
    };
    FakeSocket.reset();
    const ws = new WsClient("ws://x/api/v1/broker/ws", { factory: (u) => new FakeSocket(u) });
    const df = new WsClient("ws://x/api/v1/datafeed/ws", { factory: (u) => new FakeSocket(u) });
    return { api: new TraderApi(http, ws, df, "DEMO-ACCOUNT"), calls };
  }

  it("reads GET /account/state (null from a server without it)", async () => {
    const wire = {
      id: "DEMO-ACCOUNT", currency: "USD", balance: 100000.0, equity: 90600.0, unrealizedPL: -9400.0,
      realizedPL: 0.0, marginUsed: 82060.0, buyingPower: 8540.0, marginCheck: true,
    };
    const { api, calls } = make({ "GET /api/v1/broker/account/state": wire });
    expect(await api.getAccountState()).toEqual({
      balance: 100000, equity: 90600, marginUsed: 82060, buyingPower: 8540, marginCheck: true,
    });
    expect(calls[0]!.url).toBe("/api/v1/broker/account/state");
    expect(await make({}).api.getAccountState()).toBeNull();
  });

  it("reads configFlags.supportMargin of GET /broker/config", async () => {
    for (const supportMargin of [true, false]) {
      const { api } = make({
        "GET /api/v1/broker/config": {
          currency: "USD",
          orderTypes: [1, 2, 3, 4],
          durations: [],
          defaultDuration: "GTC",
          leverage: { min: 1.0, max: 100.0, step: 1.0, default: 10.0 },
          configFlags: { supportDurations: true, supportMargin },
        },
      });
      expect((await api.getBrokerConfig()).supportMargin).toBe(supportMargin);
    }
  });

  it("reads GET /broker/config as the ticket's durations, placing with the chosen one", async () => {
    const info = (value: string, types: number[]) => ({
      value,
      name: value,
      hasDatePicker: value === "GTD",
      hasTimePicker: value === "GTD",
      supportedOrderTypes: types,
    });
    const { api, calls } = make({
      "GET /api/v1/broker/config": {
        currency: "USD",
        orderTypes: [1, 2, 3, 4],
        durations: [info("DAY", [1, 2, 3, 4]), info("GTC", [1, 2, 3, 4]), info("IOC", [1, 2]), info("FOK", [1, 2]), info("GTD", [1, 2, 3, 4])],
        defaultDuration: "GTC",
        leverage: { min: 1.0, max: 100.0, step: 1.0, default: 10.0 },
        configFlags: {},
      },
      "POST /api/v1/broker/orders": { orderId: "ORDER-9" },
    });
    expect(await api.getBrokerConfig()).toEqual({
      durations: ["DAY", "GTC", "IOC", "FOK", "GTD"],
      defaultDuration: "GTC",
      supportMargin: false, // configFlags without supportMargin (an older server)
    });
    await api.placeOrder({ symbol: "AAPL", type: "limit", side: "buy", qty: 1, limitPrice: 1.5, duration: { type: "DAY", datetime: null } });
    expect(calls[1]?.body).toMatchObject({ limitPrice: 1.5, duration: { type: "DAY", datetime: null } });
  });

  it("calls the REST endpoints of CONTRACT §4/§5", async () => {
    const { api, calls } = make({
      "GET /api/v1/datafeed/bars": { bars: [{ time: 2, open: 1, high: 1, low: 1, close: 1, volume: 0 }], no_data: false },
      "GET /api/v1/datafeed/search": [{ symbol: "AAPL", description: "Apple Inc.", exchange: "NASDAQ", ticker: "AAPL", type: "stock" }],
      "POST /api/v1/broker/orders": { orderId: "ORDER-1" },
      "PUT /api/v1/broker/orders/ORDER-1": { success: true, message: "Operation completed successfully" },
      "DELETE /api/v1/broker/orders/ORDER-1": { success: true, message: "Operation completed successfully" },
      "DELETE /api/v1/broker/positions/AAPL": { success: true, message: "Closed position AAPL" },
      "PUT /api/v1/broker/positions/AAPL/brackets": { success: true, message: "Updated brackets for position AAPL" },
      "GET /api/v1/broker/executions/AAPL": [{ symbol: "AAPL", price: 100.0, qty: 1.0, side: 1, time: 5 }],
    });
    expect(await api.getBars("AAPL", "1D", 1000.7, 2000, 300)).toEqual([{ time: 2, open: 1, high: 1, low: 1, close: 1, volume: 0 }]);
    expect(calls[0]!.url).toBe("/api/v1/datafeed/bars?symbol=AAPL&resolution=1D&from_time=1000&to_time=2000&count_back=300");
    expect((await api.searchSymbols("", 50))[0]!.symbol).toBe("AAPL");
    expect(calls[1]!.url).toBe("/api/v1/datafeed/search?user_input=&max_results=50");
    expect(await api.placeOrder({ symbol: "AAPL", type: "market", side: "buy", qty: 1 })).toBe("ORDER-1");
    expect(calls[2]!.body).toMatchObject({ symbol: "AAPL", type: 2, side: 1, qty: 1, limitPrice: null });
    await api.modifyOrder("ORDER-1", { symbol: "AAPL", type: "limit", side: "buy", qty: 2, limitPrice: 5 });
    expect(calls[3]).toMatchObject({ method: "PUT", url: "/api/v1/broker/orders/ORDER-1", body: { qty: 2, limitPrice: 5, type: 1 } });
    expect(await api.cancelOrder("ORDER-1")).toBe("Operation completed successfully");
    expect(await api.closePosition("AAPL")).toBe("Closed position AAPL");
    expect(calls[5]!.url).toBe("/api/v1/broker/positions/AAPL");
    await api.editBrackets("AAPL", { takeProfit: 130, stopLoss: 90 });
    expect(calls[6]!.body).toEqual({
      brackets: { takeProfit: 130, stopLoss: 90, guaranteedStop: null, trailingStopPips: null },
      customFields: null,
    });
    expect(await api.getExecutions("AAPL")).toEqual([{ symbol: "AAPL", price: 100, qty: 1, side: "buy", time: 5, commission: null }]);
  });

  it("reads accounts and leverage, previews and sets leverage (LeverageSetParams)", async () => {
    const { api, calls } = make({
      "GET /api/v1/broker/accounts": [{ id: "ACC-1", name: "Alice", currency: "USD" }],
      "GET /api/v1/broker/leverage/info": { title: "Leverage", leverage: 10, min: 1, max: 100, step: 1 },
      "POST /api/v1/broker/leverage/preview": { infos: ["Leverage 25"], warnings: null, errors: null },
      "PUT /api/v1/broker/leverage/set": { leverage: 25 },
    });
    expect(await api.getAccounts()).toEqual([{ id: "ACC-1", name: "Alice", currency: "USD" }]);
    expect(await api.getLeverageInfo("AAPL", "sell", "limit")).toEqual({ title: "Leverage", leverage: 10, min: 1, max: 100, step: 1 });
    expect(calls[1]!.url).toBe("/api/v1/broker/leverage/info?symbol=AAPL&orderType=1&side=-1");
    expect(await api.previewLeverage("AAPL", "buy", "market", 25)).toEqual({ infos: ["Leverage 25"], warnings: [], errors: [] });
    const body = { symbol: "AAPL", orderType: 2, side: 1, customFields: null, leverage: 25 };
    expect(calls[2]).toEqual({ method: "POST", url: "/api/v1/broker/leverage/preview", body });
    expect(await api.setLeverage("AAPL", "buy", "market", 25)).toBe(25);
    expect(calls[3]).toEqual({ method: "PUT", url: "/api/v1/broker/leverage/set", body });
  });

  it("pages the order history with the server's cursor and reads the portfolio history (seconds → ms)", async () => {
    const { api, calls } = make({
      "GET /api/v1/broker/orders/history": { orders: [{ ...placed, status: 2 }], next: "MTIzLjQ" },
      "GET /api/v1/broker/account/history": {
        timestamp: [1700000000, 1700000060],
        equity: [100000, 100010.5],
        profit_loss: [0, 10.5],
        profit_loss_pct: [0, 0.000105],
        base_value: 100000,
        timeframe: "1Min",
      },
    });
    const page = await api.getOrdersHistory(50);
    expect(page.next).toBe("MTIzLjQ");
    expect(page.orders.map((o) => [o.id, o.status])).toEqual([["ORDER-7", "filled"]]);
    await api.getOrdersHistory(50, "MTIzLjQ");
    expect(calls.map((c) => c.url)).toEqual([
      "/api/v1/broker/orders/history?limit=50",
      "/api/v1/broker/orders/history?limit=50&before=MTIzLjQ",
    ]);
    expect(await api.getAccountHistory("1D", "1Min")).toEqual({
      timestamp: [1700000000000, 1700000060000],
      timeframe: "1Min",
      equity: [100000, 100010.5],
      profitLoss: [0, 10.5],
      profitLossPct: [0, 0.000105],
      baseValue: 100000,
    });
    expect(calls[2]!.url).toBe("/api/v1/broker/account/history?period=1D&timeframe=1Min");
  });

  it("closes part of a position with ?amount=", async () => {
    const { api, calls } = make({ "DELETE /api/v1/broker/positions/AAPL": { success: true, message: "Closed 1 of AAPL" } });
    expect(await api.closePosition("AAPL", 1.5)).toBe("Closed 1 of AAPL");
    expect(calls[0]!.url).toBe("/api/v1/broker/positions/AAPL?amount=1.5");
  });

  it("subscribes the broker streams with the account id and maps updates", () => {
    const { api } = make({});
    const orders = vi.fn();
    const sub = api.onOrders(orders);
    expect(sub.topic).toBe('orders:{"accountId":"DEMO-ACCOUNT"}');
    const s = FakeSocket.last();
    s.open();
    expect(s.sent).toEqual([{ type: "orders.subscribe", payload: { accountId: "DEMO-ACCOUNT" } }]);
    s.receive({ type: "orders.update", payload: { topic: sub.topic, payload: { ...placed, status: 2 } } });
    expect(orders).toHaveBeenCalledWith(expect.objectContaining({ id: "ORDER-7", status: "filled", side: "sell" }));
    expect(api.onQuotes(["AAPL", "MSFT"], ["AAPL"], () => {}).topic).toBe(
      'quotes:{"fast_symbols":["AAPL"],"symbols":["AAPL","MSFT"]}',
    );
    expect(api.onBars("AAPL", "5", () => {}).topic).toBe('bars:{"resolution":"5","symbol":"AAPL"}');
  });
});
