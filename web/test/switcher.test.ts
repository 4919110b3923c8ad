import { describe, expect, it } from "vitest";
import { HttpError } from "../src/api/http";
import { KEY_ITEM } from "../src/accounts";
import type { Account } from "../src/model";
import { REFUSED, Session } from "../src/session";
import { Switcher } from "../src/switcher";
import { MemoryStorage } from "./memory-storage";

const ALICE: Account = { id: "ACC-a", name: "Alice", currency: "USD" };
const BOB: Account = { id: "ACC-b", name: "Bob", currency: "USD" };
const A = "ACC-a.KEY-1.alice-secret";
const B = "ACC-b.KEY-2.bob-secret";

/** An AUTH=required server that knows Alice's and Bob's keys; `revoke` makes it refuse one. */
function server() {
  const known = new Map<string, Account>([
    [A, ALICE],
    [B, BOB],
  ]);
  const seen: (string | null)[] = [];
  let down = false;
  const accounts = async (key: string | null) => {
    seen.push(key);
    if (down) throw new TypeError("Failed to fetch");
    const account = key === null ? undefined : known.get(key);
    if (!account) throw new HttpError(401, { detail: "Not authenticated" }, "401");
    return [account];
  };
  return { accounts, seen, revoke: (key: string) => known.delete(key), setDown: (d: boolean) => (down = d) };
}

async function signedInAsAliceAndBob() {
  const srv = server();
  const storage = new MemoryStorage();
  const session = new Session(storage, srv.accounts);
  const switcher = new Switcher(session);
  expect(await session.submit(A)).toMatchObject({ kind: "signed-in", account: ALICE });
  expect(await switcher.add(B)).toEqual({ kind: "start", key: B, account: BOB, notice: null });
  return { srv, storage, session, switcher };
}

describe("account switcher", () => {
  it("'Add account…' checks the key with GET /accounts, remembers it and makes it current", async () => {
    const { srv, storage, switcher } = await signedInAsAliceAndBob();
    expect(srv.seen).toEqual([A, B]);
    expect(storage.getItem(KEY_ITEM)).toBe(B);
    expect(switcher.entries()).toEqual({ current: { key: B, account: BOB }, others: [{ key: A, account: ALICE }] });
  });

  it("'Add account…' with a refused or malformed key stays on the current account, saying why", async () => {
    const { srv, switcher } = await signedInAsAliceAndBob();
    expect(await switcher.add("ACC-c.KEY-9.wrong")).toEqual({ kind: "stay", message: REFUSED });
    const bad = await switcher.add("no key");
    expect(bad?.kind === "stay" && bad.message).toContain("ACCOUNT_ID.KEY_ID.SECRET");
    expect(srv.seen).toEqual([A, B, "ACC-c.KEY-9.wrong"]); // the malformed one never reached the server
    expect(switcher.entries().current?.account).toEqual(BOB);
    expect(switcher.entries().others.map((r) => r.account)).toEqual([ALICE]);
  });

  it("adding a second key of a remembered account keeps one entry for it (dedupe by account id)", async () => {
    const srv = server();
    const A2 = "ACC-a.KEY-7.another-alice-secret";
    const session = new Session(new MemoryStorage(), async (key) => (key === A2 ? [ALICE] : srv.accounts(key)));
    const switcher = new Switcher(session);
    await session.submit(A);
    await switcher.add(B);
    expect(await switcher.add(A2)).toEqual({ kind: "start", key: A2, account: ALICE, notice: null });
    expect(session.keys.list()).toEqual([
      { key: A2, account: ALICE },
      { key: B, account: BOB },
    ]);
  });

  it("switching back to a remembered account re-checks its key, without typing it again", async () => {
    const { srv, storage, switcher } = await signedInAsAliceAndBob();
    expect(await switcher.switchTo(ALICE.id)).toEqual({ kind: "start", key: A, account: ALICE, notice: null });
    expect(srv.seen.at(-1)).toBe(A);
    expect(storage.getItem(KEY_ITEM)).toBe(A);
    expect(switcher.entries().others.map((r) => r.account)).toEqual([BOB]);
    // the order of the menu stays the order of sign-in
    expect(switcher.entries().current).toEqual({ key: A, account: ALICE });
    expect(await switcher.switchTo(ALICE.id)).toEqual({ kind: "stay", message: "This account is the current one." });
  });

  it("a remembered key revoked meanwhile: the switch is refused, the entry forgotten, the current account kept", async () => {
    const { srv, storage, switcher } = await signedInAsAliceAndBob();
    srv.revoke(A);
    expect(await switcher.switchTo(ALICE.id)).toEqual({ kind: "stay", message: `Alice (ACC-a): ${REFUSED}` });
    expect(switcher.entries()).toEqual({ current: { key: B, account: BOB }, others: [] });
    expect(storage.getItem(KEY_ITEM)).toBe(B);
  });

  it("an unreachable server changes nothing", async () => {
    const { srv, switcher } = await signedInAsAliceAndBob();
    srv.setDown(true);
    expect(await switcher.switchTo(ALICE.id)).toEqual({ kind: "stay", message: "Cannot reach the server: Failed to fetch" });
    expect(switcher.entries().others.map((r) => r.account)).toEqual([ALICE]);
    expect(switcher.entries().current?.account).toEqual(BOB);
  });

  it("one action at a time: a second click while a key is checked does nothing", async () => {
    const { switcher } = await signedInAsAliceAndBob();
    const first = switcher.switchTo(ALICE.id);
    expect(await switcher.switchTo(ALICE.id)).toBeNull();
    expect(await first).toMatchObject({ kind: "start", account: ALICE });
  });

  it("'Sign out' of the current account goes on with the next remembered one; the last one ends at the sign-in form", async () => {
    const { storage, switcher } = await signedInAsAliceAndBob();
    expect(await switcher.signOut()).toEqual({ kind: "start", key: A, account: ALICE, notice: null });
    expect(switcher.entries()).toEqual({ current: { key: A, account: ALICE }, others: [] });
    expect(await switcher.signOut()).toEqual({ kind: "sign-in", message: null });
    expect(storage.items.size).toBe(0);
  });

  it("'Sign out' skips (and forgets) a remembered key the server refuses now", async () => {
    const { srv, storage, switcher } = await signedInAsAliceAndBob();
    srv.revoke(A);
    expect(await switcher.signOut()).toEqual({ kind: "sign-in", message: `Alice (ACC-a): ${REFUSED}` });
    expect(storage.items.size).toBe(0);
  });

  it("'Sign out of all accounts' clears the session storage", async () => {
    const { storage, switcher } = await signedInAsAliceAndBob();
    expect(switcher.signOutAll()).toEqual({ kind: "sign-in", message: null });
    expect(storage.items.size).toBe(0);
  });

  it("the current key revoked while in use: the next account takes over and the page says whose key went", async () => {
    const { srv, switcher } = await signedInAsAliceAndBob();
    srv.revoke(B);
    expect(await switcher.revoked()).toEqual({ kind: "start", key: A, account: ALICE, notice: `Bob (ACC-b): ${REFUSED}` });
    srv.revoke(A);
    expect(await switcher.revoked()).toEqual({ kind: "sign-in", message: REFUSED });
    expect(switcher.entries()).toEqual({ current: null, others: [] });
  });

  it("a reload whose current key is refused now resumes with the next remembered account", async () => {
    const { srv, storage } = await signedInAsAliceAndBob();
    srv.revoke(B);
    const reloaded = new Session(storage, srv.accounts);
    expect(await reloaded.resume()).toEqual({ kind: "signed-in", key: A, account: ALICE });
    expect(reloaded.keys.list()).toEqual([{ key: A, account: ALICE }]);
    srv.revoke(A);
    expect(await new Session(storage, srv.accounts).resume()).toEqual({ kind: "needs-key", message: REFUSED });
    expect(storage.items.size).toBe(0);
  });
});
