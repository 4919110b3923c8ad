// Minimal JSON-over-fetch helper. Knows nothing about the backend's types: it returns the
// parsed body as `unknown` and throws HttpError with the parsed error body.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export type Http = (method: string, url: string, body?: unknown) => Promise<unknown>;

/** The JSON helper; with `key`, every request carries `Authorization: Bearer <key>` (AUTH=required). */
export function makeHttp(key: string | null = null): Http {
  const auth: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  return (method, url, body) => request(method, url, body, auth);
}

export const fetchJson: Http = makeHttp();

async function request(method: string, url: string, body: unknown, auth: Record<string, string>): Promise<unknown> {
  const init: RequestInit = { method, headers: { accept: "application/json", ...auth } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, "content-type": "application/json" };
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* keep the text */
  }
  if (!res.ok) throw new HttpError(res.status, parsed, `${method} ${url}: HTTP ${res.status}`);
  return parsed;
}

/** "?a=1&b=x" from a record (undefined/null values are skipped). */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
