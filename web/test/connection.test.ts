import { describe, expect, it } from "vitest";
import { wsUrl } from "../src/api/ws";
import { ConnectionWatch, type WatchView } from "../src/connection";

function watch() {
  const views: WatchView[] = [];
  let t = 1000;
  const w = new ConnectionWatch({ broker: ["orders", "positions"], datafeed: ["bars"] }, (v) => views.push(v), () => t++);
  return { w, views };
}

describe("connection banner", () => {
  it("says nothing while the sockets first connect", () => {
    const { w, views } = watch();
    w.socket("broker", "connecting");
    w.socket("broker", "open");
    w.socket("datafeed", "open");
    expect(views).toEqual([]);
    expect(w.current()).toEqual({ banner: null, resyncs: 0, resyncedAt: null });
  });

  it("shows a banner while a socket is down, and resyncs only once every reload finished", () => {
    const { w, views } = watch();
    w.socket("broker", "open");
    w.socket("datafeed", "open");
    w.socket("broker", "closed");
    expect(w.current().banner).toBe("Connection lost (broker): reconnecting…");
    w.socket("broker", "connecting");
    w.reloaded("broker", "orders"); // a reload while the socket is down does not count
    w.socket("broker", "open");
    expect(w.current().banner).toBe("Reconnected: reloading from the server…");
    w.reloaded("broker", "orders");
    expect(w.current().banner).toBe("Reconnected: reloading from the server…");
    w.reloaded("broker", "positions");
    expect(w.current()).toEqual({ banner: null, resyncs: 1, resyncedAt: 1000 });
    expect(views.map((v) => v.banner)).toEqual([
      "Connection lost (broker): reconnecting…",
      "Reconnected: reloading from the server…",
      null,
    ]);
  });

  it("names every socket that is down and waits for all of them", () => {
    const { w } = watch();
    w.socket("broker", "open");
    w.socket("datafeed", "open");
    w.socket("broker", "closed");
    w.socket("datafeed", "closed");
    expect(w.current().banner).toBe("Connection lost (broker, datafeed): reconnecting…");
    w.socket("datafeed", "open");
    w.reloaded("datafeed", "bars");
    expect(w.current().banner).toBe("Connection lost (broker): reconnecting…");
    w.socket("broker", "open");
    w.reloaded("broker", "orders");
    w.reloaded("broker", "positions");
    expect(w.current().resyncs).toBe(1);
  });

  it("a socket dropping again while reloading starts its reloads over", () => {
    const { w } = watch();
    w.socket("broker", "open");
    w.socket("broker", "closed");
    w.socket("broker", "open");
    w.reloaded("broker", "orders");
    w.socket("broker", "closed");
    w.socket("broker", "open");
    w.reloaded("broker", "positions");
    expect(w.current().banner).toBe("Reconnected: reloading from the server…");
    w.reloaded("broker", "orders");
    expect(w.current()).toMatchObject({ banner: null, resyncs: 1 });
  });
});

describe("socket URL", () => {
  it("carries the key as the token query (encoded) only when signed in", () => {
    expect(wsUrl("ws://h:1", "/api/v1/broker/ws")).toBe("ws://h:1/api/v1/broker/ws");
    expect(wsUrl("ws://h:1", "/api/v1/broker/ws", "A.B.c+d/=")).toBe("ws://h:1/api/v1/broker/ws?token=A.B.c%2Bd%2F%3D");
  });
});
