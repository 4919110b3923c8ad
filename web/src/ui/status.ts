// Connection indicators (one per WebSocket module) and the broker-connection status.
import type { ConnState, WsClient } from "../api/ws";
import { h } from "./dom";

export function connectionIndicator(label: string, testid: string, client: WsClient): HTMLElement {
  const dot = h("span", { class: "dot" });
  const text = h("span", {}, "");
  const el = h("span", { class: "conn", "data-testid": testid, title: client.url }, dot, `${label} `, text);
  client.onState((s: ConnState) => {
    el.dataset.state = s;
    text.textContent = s;
  });
  return el;
}
