// Connection indicators (one per WebSocket module), the banner while a socket is down and the
// "resynced" notice once the views have reloaded after a reconnection.
import type { ConnState, WsClient } from "../api/ws";
import type { WatchView } from "../connection";
import { fmtTime, h } from "./dom";

export function connectionIndicator(label: string, testid: string, client: WsClient): HTMLElement {
  const dot = h("span", { class: "dot" });
  const text = h("span", {}, "");
  // the socket's URL without its query: the `token` stays out of the page
  const el = h("span", { class: "conn", "data-testid": testid, title: client.url.split("?")[0] }, dot, `${label} `, text);
  client.onState((s: ConnState) => {
    el.dataset.state = s;
    text.textContent = s;
  });
  return el;
}

const NOTICE_MS = 6000;

/** The banner and the notice; `render` is ConnectionWatch's onChange. */
export class ConnectionBanner {
  readonly banner = h("div", { class: "banner conn-banner", "data-testid": "conn-banner", role: "alert", hidden: true });
  readonly notice = h("div", { class: "notice", "data-testid": "conn-resynced", role: "status", hidden: true, "data-resyncs": "0" });
  private timer: ReturnType<typeof setTimeout> | null = null;

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  render(v: WatchView): void {
    this.banner.hidden = v.banner === null;
    this.banner.textContent = v.banner ?? "";
    if (v.banner !== null) {
      this.notice.hidden = true;
      return;
    }
    if (String(v.resyncs) === this.notice.dataset.resyncs) return;
    this.notice.dataset.resyncs = String(v.resyncs);
    this.notice.textContent = `Resynced with the server at ${fmtTime(v.resyncedAt)} UTC: every list reloaded.`;
    this.notice.hidden = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.notice.hidden = true), NOTICE_MS);
  }
}
