import { describe, expect, it } from "vitest";
import { OrderHistoryList } from "../src/history";
import type { Order } from "../src/model";

const order = (id: string, status: Order["status"] = "filled"): Order => ({
  id,
  symbol: "AAPL",
  type: "market",
  side: "buy",
  qty: 1,
  status,
  limitPrice: null,
  stopPrice: null,
  takeProfit: null,
  stopLoss: null,
  filledQty: 1,
  avgPrice: 1,
  updateTime: 1,
  parentId: null,
  duration: null,
});

describe("order history paging", () => {
  it("pages follow the cursor; an order is never listed twice", () => {
    const h = new OrderHistoryList();
    h.first({ orders: [order("9"), order("8")], next: "c1" });
    expect(h.next).toBe("c1");
    h.more({ orders: [order("8"), order("7")], next: null });
    expect(h.orders().map((o) => o.id)).toEqual(["9", "8", "7"]);
    expect(h.next).toBeNull();
  });

  it("an order that becomes final on the stream goes on top; its later update replaces the row", () => {
    const h = new OrderHistoryList();
    h.first({ orders: [order("1")], next: null });
    h.live(order("2", "working"), false);
    expect(h.orders().map((o) => o.id)).toEqual(["1"]);
    h.live(order("2", "canceled"), true);
    h.live({ ...order("2", "canceled"), qty: 5 }, true);
    expect(h.orders().map((o) => [o.id, o.qty])).toEqual([["2", 5], ["1", 1]]);
  });

  it("the first page after a reconnection replaces what was shown", () => {
    const h = new OrderHistoryList();
    h.first({ orders: [order("3"), order("2")], next: "c" });
    h.live(order("4"), true);
    h.first({ orders: [order("5"), order("4")], next: null });
    expect(h.orders().map((o) => o.id)).toEqual(["5", "4"]);
    expect(h.loaded).toBe(true);
  });
});
