import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { canonicalJson, computeTopic, WsClient } from "../src/api/ws";
import { FakeSocket } from "./fake-socket";

const URL = "ws://test/api/v1/datafeed/ws";

function client(): WsClient {
  return new WsClient(URL, { factory: (u) => new FakeSocket(u) });
}

function confirm(s: FakeSocket, route: string, topic: string, status = "ok"): void {
  s.receive({ type: `${route}.subscribe.response`, payload: { status, message: "Subscribed", topic } });
}

beforeEach(() => {
  FakeSocket.reset();
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("topic computation (CONTRACT §6.5)", () => {
  it("sorts keys and is compact", () => {
    expect(computeTopic("bars", { symbol: "AAPL", resolution: "1" })).toBe('bars:{"resolution":"1","symbol":"AAPL"}');
    expect(computeTopic("quotes", { symbols: ["AAPL", "ZZZ"], fast_symbols: [] })).toBe(
      'quotes:{"fast_symbols":[],"symbols":["AAPL","ZZZ"]}',
    );
    expect(computeTopic("orders", { accountId: "TEST-001" })).toBe('orders:{"accountId":"TEST-001"}');
  });
  it("keeps list order and duplicates, sorts nested keys, null becomes empty string", () => {
    expect(canonicalJson({ b: ["z", "a", "a"], a: { y: null, x: 1 } })).toBe('{"a":{"x":1,"y":""},"b":["z","a","a"]}');
  });
  it("escapes non-ASCII like Python's json.dumps (ensure_ascii)", () => {
    expect(canonicalJson({ s: "é€\u007f" })).toBe('{"s":"\\u00e9\\u20ac\\u007f"}');
    expect(canonicalJson({ s: "😀" })).toBe('{"s":"\\ud83d\\ude00"}');
  });
  it("orders keys by code point, not locale", () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, _: 4 })).toBe('{"B":2,"_":4,"a":3,"b":1}');
  });
});

describe("WsClient", () => {
  it("sends the subscribe once the socket opens and confirms by topic", () => {
    const c = client();
    const states: string[] = [];
    c.onState((s) => states.push(s));
    const confirmed = vi.fn();
    const sub = c.subscribe("bars", { symbol: "AAPL", resolution: "1D" }, () => {}, { onConfirmed: confirmed });
    const s = FakeSocket.last();
    expect(s.url).toBe(URL);
    expect(s.sent).toEqual([]);
    s.open();
    expect(states).toEqual(["closed", "connecting", "open"]);
    expect(s.sent).toEqual([{ type: "bars.subscribe", payload: { symbol: "AAPL", resolution: "1D" } }]);
    expect(c.topicState(sub.topic)).toBe("pending");
    confirm(s, "bars", sub.topic);
    expect(c.topicState(sub.topic)).toBe("confirmed");
    expect(confirmed).toHaveBeenCalledTimes(1);
  });

  it("ignores a response for another topic or route", () => {
    const c = client();
    const sub = c.subscribe("bars", { symbol: "AAPL", resolution: "1D" }, () => {});
    const s = FakeSocket.last();
    s.open();
    confirm(s, "bars", 'bars:{"resolution":"1D","symbol":"MSFT"}');
    confirm(s, "quotes", sub.topic);
    expect(c.topicState(sub.topic)).toBe("pending");
  });

  it("re-sends an unconfirmed subscribe after 3 s + 200 ms, and stops once confirmed", () => {
    const c = client();
    const sub = c.subscribe("orders", { accountId: "A" }, () => {});
    const s = FakeSocket.last();
    s.open();
    vi.advanceTimersByTime(3000);
    expect(s.types()).toEqual(["orders.subscribe"]);
    vi.advanceTimersByTime(200);
    expect(s.types()).toEqual(["orders.subscribe", "orders.subscribe"]);
    vi.advanceTimersByTime(3200);
    expect(s.types().length).toBe(3);
    confirm(s, "orders", sub.topic);
    vi.advanceTimersByTime(20_000);
    expect(s.types().length).toBe(3);
  });

  it("does not retry a subscription the server rejected", () => {
    const c = client();
    const onError = vi.fn();
    const sub = c.subscribe("orders", { accountId: "A" }, () => {}, { onError });
    const s = FakeSocket.last();
    s.open();
    s.receive({ type: "orders.subscribe.response", payload: { status: "error", message: "accountId: bad", topic: sub.topic } });
    expect(onError).toHaveBeenCalledWith("accountId: bad");
    expect(c.topicState(sub.topic)).toBe("error");
    vi.advanceTimersByTime(10_000);
    expect(s.types()).toEqual(["orders.subscribe"]);
  });

  it("routes updates by exact topic to every listener of that topic only", () => {
    const c = client();
    const a1 = vi.fn();
    const a2 = vi.fn();
    const m = vi.fn();
    const subA = c.subscribe("bars", { symbol: "AAPL", resolution: "1D" }, a1);
    c.subscribe("bars", { resolution: "1D", symbol: "AAPL" }, a2); // same topic, other key order
    const subM = c.subscribe("bars", { symbol: "MSFT", resolution: "1D" }, m);
    const s = FakeSocket.last();
    s.open();
    // one subscribe per distinct topic
    expect(s.types()).toEqual(["bars.subscribe", "bars.subscribe"]);
    const bar = { time: 1, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };
    s.receive({ type: "bars.update", payload: { topic: subA.topic, payload: bar } });
    s.receive({ type: "bars.update", payload: { topic: subM.topic.replace("MSFT", "msft"), payload: bar } });
    s.receive({ type: "something.else", payload: { topic: subM.topic, payload: bar } });
    expect(a1).toHaveBeenCalledWith(bar);
    expect(a2).toHaveBeenCalledWith(bar);
    expect(m).not.toHaveBeenCalled();
    s.receive({ type: "bars.update", payload: { topic: subM.topic, payload: bar } });
    expect(m).toHaveBeenCalledTimes(1);
  });

  it("survives garbage frames", () => {
    const c = client();
    const fn = vi.fn();
    c.subscribe("bars", { symbol: "AAPL", resolution: "1D" }, fn);
    const s = FakeSocket.last();
    s.open();
    s.onmessage?.({ data: "not json" });
    s.onmessage?.({ data: new ArrayBuffer(2) });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    s.receive({ type: "error", payload: { message: "No matching type" } });
    s.receive({ nothing: true });
    expect(fn).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it("never logs the API key carried by the URL's token", () => {
    const c = new WsClient(`${URL}?token=ACC-1.KEY-1.secret`, { factory: (u) => new FakeSocket(u) });
    c.subscribe("bars", { symbol: "AAPL", resolution: "1D" }, () => {});
    const s = FakeSocket.last();
    s.open();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    s.receive({ type: "error", payload: { message: "No matching type" } });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(warn.mock.calls)).not.toContain("secret");
    expect(warn.mock.calls[0]![0]).toBe(`${URL}: server error`);
    warn.mockRestore();
  });

  it("unsubscribes with the same payload when the last listener leaves", () => {
    const c = client();
    const payload = { symbols: ["AAPL", "MSFT"], fast_symbols: ["AAPL"] };
    const first = c.subscribe("quotes", payload, () => {});
    const second = c.subscribe("quotes", payload, () => {});
    const s = FakeSocket.last();
    s.open();
    confirm(s, "quotes", first.topic);
    first.unsubscribe();
    expect(s.types()).toEqual(["quotes.subscribe"]);
    second.unsubscribe();
    second.unsubscribe(); // idempotent
    expect(s.sent).toEqual([
      { type: "quotes.subscribe", payload },
      { type: "quotes.unsubscribe", payload },
    ]);
    expect(c.activeTopics()).toEqual([]);
    // updates for the released topic are no longer delivered, and no retry happens
    vi.advanceTimersByTime(10_000);
    expect(s.sent.length).toBe(2);
  });

  it("never sends an unsubscribe for a topic it did not subscribe on this socket", () => {
    const c = client();
    const sub = c.subscribe("bars", { symbol: "AAPL", resolution: "1" }, () => {});
    sub.unsubscribe(); // before the socket opened
    const s = FakeSocket.last();
    s.open();
    expect(s.sent).toEqual([]);
  });

  it("switching a view's topic: subscribe the new one, unsubscribe the old one", () => {
    const c = client();
    const onA = vi.fn();
    const onB = vi.fn();
    const a = c.subscribe("bars", { symbol: "AAPL", resolution: "1D" }, onA);
    const s = FakeSocket.last();
    s.open();
    confirm(s, "bars", a.topic);
    const b = c.subscribe("bars", { symbol: "AAPL", resolution: "5" }, onB);
    a.unsubscribe();
    expect(s.sent).toEqual([
      { type: "bars.subscribe", payload: { symbol: "AAPL", resolution: "1D" } },
      { type: "bars.subscribe", payload: { symbol: "AAPL", resolution: "5" } },
      { type: "bars.unsubscribe", payload: { symbol: "AAPL", resolution: "1D" } },
    ]);
    s.receive({ type: "bars.update", payload: { topic: a.topic, payload: {} } });
    s.receive({ type: "bars.update", payload: { topic: b.topic, payload: {} } });
    expect(onA).not.toHaveBeenCalled();
    expect(onB).toHaveBeenCalledTimes(1);
  });

  it("reconnects with exponential back-off and resubscribes every active topic", () => {
    const c = new WsClient(URL, { factory: (u) => new FakeSocket(u), initialBackoffMs: 200, maxBackoffMs: 3200 });
    const states: string[] = [];
    c.onState((s) => states.push(s));
    const confirmed = vi.fn();
    const o = c.subscribe("orders", { accountId: "A" }, () => {}, { onConfirmed: confirmed });
    const p = c.subscribe("positions", { accountId: "A" }, () => {});
    const gone = c.subscribe("equity", { accountId: "A" }, () => {});
    let s = FakeSocket.last();
    s.open();
    confirm(s, "orders", o.topic);
    confirm(s, "positions", p.topic);
    gone.unsubscribe();
    s.drop();
    expect(c.state).toBe("closed");
    expect(c.topicState(o.topic)).toBe("pending");

    // failing attempts: 200, 400, 800, 1600, 3200, 3200 (capped)
    const delays = [200, 400, 800, 1600, 3200, 3200];
    for (const d of delays) {
      const before = FakeSocket.all.length;
      vi.advanceTimersByTime(d - 1);
      expect(FakeSocket.all.length).toBe(before);
      vi.advanceTimersByTime(1);
      expect(FakeSocket.all.length).toBe(before + 1);
      FakeSocket.last().drop();
    }
    // next attempt succeeds: both remaining topics are re-subscribed, the released one is not
    vi.advanceTimersByTime(3200);
    s = FakeSocket.last();
    s.open();
    expect(s.sent).toEqual([
      { type: "orders.subscribe", payload: { accountId: "A" } },
      { type: "positions.subscribe", payload: { accountId: "A" } },
    ]);
    confirm(s, "orders", o.topic);
    expect(confirmed).toHaveBeenCalledTimes(2);
    expect(c.connects).toBe(8);
    // back-off is reset after a successful open
    s.drop();
    vi.advanceTimersByTime(200);
    expect(c.connects).toBe(9);
    expect(states.slice(0, 4)).toEqual(["closed", "connecting", "open", "closed"]);
  });

  it("a subscription made while disconnected is sent after reconnection", () => {
    const c = client();
    c.subscribe("orders", { accountId: "A" }, () => {});
    FakeSocket.last().open();
    FakeSocket.last().drop();
    c.subscribe("bars", { symbol: "AAPL", resolution: "1D" }, () => {});
    vi.advanceTimersByTime(200);
    const s = FakeSocket.last();
    s.open();
    expect(s.types()).toEqual(["orders.subscribe", "bars.subscribe"]);
  });

  it("close() stops reconnection", () => {
    const c = client();
    c.subscribe("orders", { accountId: "A" }, () => {});
    const s = FakeSocket.last();
    s.open();
    c.close();
    expect(s.closedByClient).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all.length).toBe(1);
    expect(c.state).toBe("closed");
  });

  it("dispose() closes for good: no state listener told, a late subscribe opens no socket", () => {
    const c = client();
    const states: string[] = [];
    c.onState((st) => states.push(st));
    c.subscribe("orders", { accountId: "A" }, () => {});
    const s = FakeSocket.last();
    s.open();
    c.dispose();
    expect(s.closedByClient).toBe(true);
    expect(states).toEqual(["closed", "connecting", "open"]); // the close is not told (the switcher's teardown)
    const late = c.subscribe("positions", { accountId: "A" }, () => {});
    c.connect();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all.length).toBe(1);
    expect(c.activeTopics()).toEqual([]);
    expect(c.isDisposed).toBe(true);
    late.unsubscribe();
  });
});
