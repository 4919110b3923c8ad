import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpError, makeHttp } from "../src/api/http";
import { fetchAccounts } from "../src/api/trader";
import { KEY_ITEM, keyFormatError, Session } from "../src/session";
import type { Account } from "../src/model";
import { MemoryStorage } from "./memory-storage";

const KEY = "ACC-1.KEY-1.c2VjcmV0LXNlY3JldC1zZWNyZXQ";
const ACCOUNT: Account = { id: "ACC-1", name: "Alice", currency: "USD" };

/** A server in AUTH=required mode that knows one key. */
function requiredServer(known = KEY) {
  const seen: (string | null)[] = [];
  const accounts = async (key: string | null) => {
    seen.push(key);
    if (key !== known) throw new HttpError(401, { detail: "Not authenticated" }, "GET /accounts: HTTP 401");
    return [ACCOUNT];
  };
  return { accounts, seen };
}

describe("session: sign-in with an API key", () => {
  it("asks for a key (no message) when the server wants one and none is stored", async () => {
    const server = requiredServer();
    const session = new Session(new MemoryStorage(), server.accounts);
    expect(await session.resume()).toEqual({ kind: "needs-key", message: null });
    expect(server.seen).toEqual([null]);
  });

  it("starts without a key when the server does not want one (AUTH=off)", async () => {
    const demo = { id: "DEMO-ACCOUNT", name: "Demo Trading Account", currency: "USD" };
    const session = new Session(new MemoryStorage(), async () => [demo]);
    expect(await session.resume()).toEqual({ kind: "signed-in", key: null, account: demo });
  });

  it("keeps an accepted key in the session storage and resumes with it", async () => {
    const storage = new MemoryStorage();
    const server = requiredServer();
    const session = new Session(storage, server.accounts);
    expect(await session.submit(`  ${KEY}\n`)).toEqual({ kind: "signed-in", key: KEY, account: ACCOUNT });
    expect(storage.getItem(KEY_ITEM)).toBe(KEY);
    expect(await new Session(storage, server.accounts).resume()).toMatchObject({ kind: "signed-in", key: KEY });
  });

  it("refuses a key the server refuses, with a clear message, and stores nothing", async () => {
    const storage = new MemoryStorage();
    const session = new Session(storage, requiredServer().accounts);
    const r = await session.submit("ACC-1.KEY-9.wrong");
    expect(r).toEqual({ kind: "needs-key", message: "The server refused this API key (unknown or revoked)." });
    expect(storage.items.size).toBe(0);
  });

  it("forgets a stored key that no longer works (revoked) and says so", async () => {
    const storage = new MemoryStorage();
    storage.setItem(KEY_ITEM, "ACC-1.KEY-0.revoked");
    const r = await new Session(storage, requiredServer().accounts).resume();
    expect(r).toEqual({ kind: "needs-key", message: "The server refused this API key (unknown or revoked)." });
    expect(storage.getItem(KEY_ITEM)).toBeNull();
  });

  it("checks the key format before asking the server", async () => {
    const server = requiredServer();
    const r = await new Session(new MemoryStorage(), server.accounts).submit("not-a-key");
    expect(r.kind).toBe("needs-key");
    expect(r.kind === "needs-key" && r.message).toContain("ACCOUNT_ID.KEY_ID.SECRET");
    expect(server.seen).toEqual([]);
    expect(keyFormatError(KEY)).toBeNull();
    expect(keyFormatError("a..b")).not.toBeNull();
    expect(keyFormatError("a.b c.d")).not.toBeNull();
  });

  it("tells a rate-limited attempt and an unreachable server apart from a refused key", async () => {
    const limited = new Session(new MemoryStorage(), async () => {
      throw new HttpError(429, { detail: "Too many requests" }, "429");
    });
    expect(await limited.submit(KEY)).toEqual({ kind: "needs-key", message: "Too many attempts: wait a few seconds and try again." });
    const down = new Session(new MemoryStorage(), async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(await down.resume()).toEqual({ kind: "unreachable", message: "Cannot reach the server: Failed to fetch" });
  });

  it("sign-out removes the key", async () => {
    const storage = new MemoryStorage();
    const session = new Session(storage, requiredServer().accounts);
    await session.submit(KEY);
    session.signOut();
    expect(storage.getItem(KEY_ITEM)).toBeNull();
  });
});

describe("http: the key rides in the Authorization header", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("sends Bearer <key> on every request, and nothing without a key", async () => {
    const requests: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      return new Response(JSON.stringify([{ id: "ACC-1", name: "Alice", currency: "USD" }]), { status: 200 });
    });
    expect(await fetchAccounts(makeHttp(KEY))).toEqual([ACCOUNT]);
    await makeHttp()("GET", "/api/v1/broker/accounts");
    expect(requests.map((r) => r.url)).toEqual(["/api/v1/broker/accounts", "/api/v1/broker/accounts"]);
    expect(requests[0]!.init.headers).toEqual({ accept: "application/json", authorization: `Bearer ${KEY}` });
    expect(requests[1]!.init.headers).toEqual({ accept: "application/json" });
  });

  it("a 401 becomes an HttpError carrying the status", async () => {
    vi.stubGlobal("fetch", async () => new Response('{"detail":"Not authenticated"}', { status: 401 }));
    await expect(fetchAccounts(makeHttp("a.b.c"))).rejects.toMatchObject({ status: 401, body: { detail: "Not authenticated" } });
  });
});

describe("session: a key revoked while in use", () => {
  it("is found out by stillValid, and the sign-in form gets the message once", async () => {
    const storage = new MemoryStorage();
    let revoked = false;
    const session = new Session(storage, async (key) => {
      if (revoked || key !== KEY) throw new HttpError(401, { detail: "Not authenticated" }, "401");
      return [ACCOUNT];
    });
    await session.submit(KEY);
    expect(await session.stillValid(KEY)).toBe(true);
    revoked = true;
    expect(await session.stillValid(KEY)).toBe(false);
    session.signOut("The server refused this API key (unknown or revoked).");
    expect(storage.getItem(KEY_ITEM)).toBeNull();
    expect(session.takeMessage()).toBe("The server refused this API key (unknown or revoked).");
    expect(session.takeMessage()).toBeNull();
  });

  it("a server that is merely down does not sign out", async () => {
    const session = new Session(new MemoryStorage(), async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(await session.stillValid(KEY)).toBe(true);
  });
});
