// What the connection banner says. A socket that was open and dropped puts up "reconnecting";
// once it is open again the views reload their lists over REST (the server may have restarted
// and forgotten or changed things meanwhile), and only when every reload expected for that
// socket has finished is the terminal "resynced". Pure logic: the DOM part is ui/status.ts.
import type { ConnState } from "./api/ws";

export interface WatchView {
  /** banner text while a socket is down or its views are still reloading; null when all is well */
  banner: string | null;
  /** how many times the terminal resynced after a drop */
  resyncs: number;
  /** Unix ms of the last resync */
  resyncedAt: number | null;
}

export class ConnectionWatch {
  private readonly state = new Map<string, ConnState>();
  private readonly everOpen = new Set<string>();
  /** sockets that dropped, with the reloads still awaited since they reopened */
  private readonly pending = new Map<string, Set<string>>();
  private view: WatchView = { banner: null, resyncs: 0, resyncedAt: null };

  /** `reloads`: per socket, the reloads (view names) that follow its reconnection. */
  constructor(
    private readonly reloads: Record<string, readonly string[]>,
    private readonly onChange: (v: WatchView) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  current(): WatchView {
    return this.view;
  }

  socket(name: string, s: ConnState): void {
    const was = this.state.get(name);
    this.state.set(name, s);
    if (s === "open") this.everOpen.add(name);
    if (was === "open" && s !== "open") this.pending.set(name, new Set(this.reloads[name] ?? []));
    else if (s !== "open" && this.pending.has(name)) this.pending.set(name, new Set(this.reloads[name] ?? []));
    this.update();
  }

  /** A view finished its REST reload for socket `name` (ignored while that socket is down). */
  reloaded(name: string, view: string): void {
    if (this.state.get(name) !== "open") return;
    this.pending.get(name)?.delete(view);
    this.update();
  }

  private update(): void {
    const down = [...this.pending.keys()].filter((n) => this.state.get(n) !== "open");
    const reloading = [...this.pending.entries()].filter(([n, left]) => this.state.get(n) === "open" && left.size > 0);
    let { resyncs, resyncedAt } = this.view;
    let banner: string | null = null;
    if (down.length) banner = `Connection lost (${down.join(", ")}): reconnecting…`;
    else if (reloading.length) banner = "Reconnected: reloading from the server…";
    else if (this.pending.size) {
      this.pending.clear();
      resyncs += 1;
      resyncedAt = this.now();
    }
    const next = { banner, resyncs, resyncedAt };
    if (next.banner === this.view.banner && next.resyncs === this.view.resyncs) return;
    this.view = next;
    this.onChange(next);
  }
}
