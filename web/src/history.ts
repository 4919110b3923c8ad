// The order history tab: final orders, newest first, paged from GET /orders/history ("load
// more" follows the server's cursor), with orders that become final meanwhile put on top from the
// orders stream. No order is listed twice. Pure logic.
import type { Order, OrderHistoryPage } from "./model";

export const HISTORY_PAGE = 50;

export class OrderHistoryList {
  private list: Order[] = [];
  /** cursor of the next (older) page; null when the last page is loaded */
  next: string | null = null;
  loaded = false;

  orders(): readonly Order[] {
    return this.list;
  }

  /** The first page (also after a reconnection): replaces everything. */
  first(page: OrderHistoryPage): void {
    this.list = [];
    this.loaded = true;
    this.more(page);
  }

  /** An older page, appended below. */
  more(page: OrderHistoryPage): void {
    const seen = new Set(this.list.map((o) => o.id));
    for (const o of page.orders) if (!seen.has(o.id)) this.list.push(o);
    this.next = page.next;
  }

  /** An order from the stream: a final one goes on top (or replaces its row). */
  live(o: Order, final: boolean): void {
    const i = this.list.findIndex((x) => x.id === o.id);
    if (!final) {
      if (i >= 0) this.list.splice(i, 1);
      return;
    }
    if (i >= 0) this.list[i] = o;
    else this.list.unshift(o);
  }
}
