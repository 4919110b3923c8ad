// One WebSocket per backend module, shared by every subscription of that module.
//
// Protocol (CONTRACT §6): client sends {"type":"R.subscribe","payload":{...}}; the server answers
// {"type":"R.subscribe.response","payload":{"status","message","topic"}} and then pushes
// {"type":"R.update","payload":{"topic","payload"}}. Topics are computed client-side with the
// §6.5 rule, so responses and updates are matched by exact topic string.

export type ConnState = "connecting" | "open" | "closed";

/** The part of the browser WebSocket this client uses (a fake one is injected in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

const OPEN = 1;

export interface WsClientOptions {
  /** Creates the socket (default: the browser's WebSocket). */
  factory?: SocketFactory;
  /** How long to wait for R.subscribe.response before re-sending (ms). */
  confirmTimeoutMs?: number;
  /** Pause between a confirmation timeout and the re-send (ms). */
  resendDelayMs?: number;
  /** First reconnection delay (ms); doubled after each failed attempt up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/** Canonical JSON of CONTRACT §6.5: sorted keys, compact, null → "", non-ASCII as \uXXXX. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canon(value)).replace(
    /[\u007f-\uffff]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

function canon(value: unknown): unknown {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(canon);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort(codePointCompare)) {
      out[key] = canon((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

function codePointCompare(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Topic string of a subscription: `route + ":" + canonicalJson(payload)`. */
export function computeTopic(route: string, payload: object): string {
  return `${route}:${canonicalJson(payload)}`;
}

export type SubState = "pending" | "confirmed" | "error";

export interface Subscription {
  readonly topic: string;
  unsubscribe(): void;
}

interface Listener {
  onUpdate: (data: unknown) => void;
  onConfirmed?: () => void;
  onError?: (message: string) => void;
}

interface TopicEntry {
  route: string;
  payload: object;
  topic: string;
  listeners: Set<Listener>;
  state: SubState;
  /** subscribe was sent on the current socket */
  sent: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

export class WsClient {
  readonly url: string;
  private readonly factory: SocketFactory;
  private readonly confirmTimeoutMs: number;
  private readonly resendDelayMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  private socket: SocketLike | null = null;
  private topics = new Map<string, TopicEntry>();
  private stateListeners = new Set<(s: ConnState) => void>();
  private _state: ConnState = "closed";
  private backoffMs: number;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private disposed = false;
  /** Number of sockets created so far (diagnostics, tests). */
  connects = 0;

  constructor(url: string, opts: WsClientOptions = {}) {
    this.url = url;
    this.factory = opts.factory ?? ((u) => new WebSocket(u) as unknown as SocketLike);
    this.confirmTimeoutMs = opts.confirmTimeoutMs ?? 3000;
    this.resendDelayMs = opts.resendDelayMs ?? 200;
    this.initialBackoffMs = opts.initialBackoffMs ?? 200;
    this.maxBackoffMs = opts.maxBackoffMs ?? 5000;
    this.backoffMs = this.initialBackoffMs;
  }

  get state(): ConnState {
    return this._state;
  }

  /** Calls `fn` now and on every connection state change; returns a disposer. */
  onState(fn: (s: ConnState) => void): () => void {
    this.stateListeners.add(fn);
    fn(this._state);
    return () => this.stateListeners.delete(fn);
  }

  topicState(topic: string): SubState | undefined {
    return this.topics.get(topic)?.state;
  }

  activeTopics(): string[] {
    return [...this.topics.keys()];
  }

  /** Opens the socket (idempotent). Subscribing also connects. */
  connect(): void {
    if (this.disposed) return;
    this.stopped = false;
    if (this.socket || this.reconnectTimer) return;
    this.open();
  }

  /** Closes for good: no reconnection, subscriptions are forgotten. */
  close(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    for (const e of this.topics.values()) this.clearTimer(e);
    this.topics.clear();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onopen = s.onclose = s.onerror = s.onmessage = null;
      s.close(1000, "client closed");
    }
    this.setState("closed");
  }

  /**
   * Closes for good and for ever (the account switcher drops the previous account's clients): no
   * state listener is told, and a later subscribe — a view's REST call that answered late — opens
   * nothing.
   */
  dispose(): void {
    this.disposed = true;
    this.stateListeners.clear();
    this.close();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Subscribes `route` with `payload`. Several subscriptions of the same topic share one server
   * subscription; the last `unsubscribe()` sends R.unsubscribe.
   * `onConfirmed` runs on every server confirmation (also after a reconnection).
   */
  subscribe<T>(
    route: string,
    payload: object,
    onUpdate: (data: T) => void,
    hooks: { onConfirmed?: () => void; onError?: (message: string) => void } = {},
  ): Subscription {
    const topic = computeTopic(route, payload);
    if (this.disposed) return { topic, unsubscribe: () => undefined };
    const listener: Listener = { onUpdate: onUpdate as (d: unknown) => void, ...hooks };
    let entry = this.topics.get(topic);
    if (!entry) {
      entry = { route, payload, topic, listeners: new Set(), state: "pending", sent: false, timer: null };
      this.topics.set(topic, entry);
      entry.listeners.add(listener);
      this.connect();
      if (this.isOpen()) this.sendSubscribe(entry);
    } else {
      entry.listeners.add(listener);
      if (entry.state === "confirmed") listener.onConfirmed?.();
    }
    let done = false;
    return {
      topic,
      unsubscribe: () => {
        if (done) return;
        done = true;
        this.release(topic, listener);
      },
    };
  }

  private release(topic: string, listener: Listener): void {
    const entry = this.topics.get(topic);
    if (!entry) return;
    entry.listeners.delete(listener);
    if (entry.listeners.size > 0) return;
    this.topics.delete(topic);
    this.clearTimer(entry);
    if (entry.sent && this.isOpen()) {
      this.send({ type: `${entry.route}.unsubscribe`, payload: entry.payload });
    }
  }

  private isOpen(): boolean {
    return this.socket !== null && this.socket.readyState === OPEN && this._state === "open";
  }

  private open(): void {
    this.reconnectTimer = null;
    this.setState("connecting");
    this.connects++;
    let s: SocketLike;
    try {
      s = this.factory(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = s;
    s.onopen = () => {
      if (this.socket !== s) return;
      this.backoffMs = this.initialBackoffMs;
      this.setState("open");
      for (const e of this.topics.values()) this.sendSubscribe(e);
    };
    s.onmessage = (ev) => {
      if (this.socket === s) this.handleMessage(ev.data);
    };
    s.onerror = () => {
      /* a close event follows */
    };
    s.onclose = () => {
      if (this.socket !== s) return;
      this.socket = null;
      for (const e of this.topics.values()) {
        this.clearTimer(e);
        e.sent = false;
        if (e.state === "confirmed") e.state = "pending";
      }
      this.setState("closed");
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }

  private sendSubscribe(e: TopicEntry): void {
    this.clearTimer(e);
    e.state = "pending";
    e.sent = true;
    this.send({ type: `${e.route}.subscribe`, payload: e.payload });
    e.timer = setTimeout(() => {
      // not confirmed in time: re-send after a short pause (CONTRACT §6.11)
      e.timer = setTimeout(() => {
        e.timer = null;
        if (this.topics.get(e.topic) === e && e.state === "pending" && this.isOpen()) this.sendSubscribe(e);
      }, this.resendDelayMs);
    }, this.confirmTimeoutMs);
  }

  private clearTimer(e: TopicEntry): void {
    if (e.timer) clearTimeout(e.timer);
    e.timer = null;
  }

  private send(msg: { type: string; payload: object }): void {
    this.socket?.send(JSON.stringify(msg));
  }

  private handleMessage(raw: unknown): void {
    if (typeof raw !== "string") return;
    let msg: { type?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    const type = typeof msg.type === "string" ? msg.type : "";
    const payload = (msg.payload ?? {}) as { topic?: unknown; payload?: unknown; status?: unknown; message?: unknown };
    const topic = typeof payload.topic === "string" ? payload.topic : "";
    if (type.endsWith(".update")) {
      const entry = this.topics.get(topic);
      if (!entry) return;
      for (const l of [...entry.listeners]) l.onUpdate(payload.payload);
    } else if (type.endsWith(".subscribe.response")) {
      const entry = this.topics.get(topic);
      if (!entry || type !== `${entry.route}.subscribe.response`) return;
      this.clearTimer(entry);
      if (payload.status === "ok") {
        entry.state = "confirmed";
        for (const l of [...entry.listeners]) l.onConfirmed?.();
      } else {
        entry.state = "error";
        const text = typeof payload.message === "string" ? payload.message : "subscription rejected";
        for (const l of [...entry.listeners]) l.onError?.(text);
      }
    } else if (type === "error") {
      // the URL without its query: the `token` (an API key) is never logged
      console.warn(`${this.url.split("?")[0]}: server error`, payload);
    }
    // R.unsubscribe.response and anything else: nothing to do
  }

  private setState(s: ConnState): void {
    if (this._state === s) return;
    this._state = s;
    for (const fn of [...this.stateListeners]) fn(s);
  }
}

/** ws(s)://<current host><path>, with `?token=<key>` when signed in (a browser cannot set headers on a socket). */
export function sameOriginWsUrl(path: string, token: string | null = null): string {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  return wsUrl(`${proto}//${location.host}`, path, token);
}

export function wsUrl(origin: string, path: string, token: string | null = null): string {
  return `${origin}${path}${token ? `?token=${encodeURIComponent(token)}` : ""}`;
}
