import { describe, expect, it } from "vitest";
import { ACCOUNTS_ITEM, KEY_ITEM, RememberedKeys } from "../src/accounts";
import type { Account } from "../src/model";
import { MemoryStorage } from "./memory-storage";

const ALICE: Account = { id: "ACC-a", name: "Alice", currency: "USD" };
const BOB: Account = { id: "ACC-b", name: "Bob", currency: "EUR" };
const A1 = "ACC-a.KEY-1.secret-one";
const A2 = "ACC-a.KEY-2.secret-two";
const B1 = "ACC-b.KEY-3.secret-three";

describe("remembered keys (sessionStorage)", () => {
  it("is empty at first: no entry, no current key", () => {
    const keys = new RememberedKeys(new MemoryStorage());
    expect(keys.list()).toEqual([]);
    expect(keys.current()).toBeNull();
    expect(keys.currentKey()).toBeNull();
    expect(keys.others()).toEqual([]);
  });

  it("add remembers the key with its account and makes it current; the others are the rest, in order", () => {
    const storage = new MemoryStorage();
    const keys = new RememberedKeys(storage);
    keys.add(A1, ALICE);
    keys.add(B1, BOB);
    expect(keys.list()).toEqual([
      { key: A1, account: ALICE },
      { key: B1, account: BOB },
    ]);
    expect(keys.current()).toEqual({ key: B1, account: BOB });
    expect(storage.getItem(KEY_ITEM)).toBe(B1);
    expect(keys.others()).toEqual([{ key: A1, account: ALICE }]);
    // what is stored is the list as JSON, read back by a new instance (a reload of the page)
    expect(JSON.parse(storage.getItem(ACCOUNTS_ITEM)!)).toEqual(keys.list());
    expect(new RememberedKeys(storage).current()).toEqual({ key: B1, account: BOB });
  });

  it("dedupes by account id: a second key of an account replaces the first, in its place", () => {
    const keys = new RememberedKeys(new MemoryStorage());
    keys.add(A1, ALICE);
    keys.add(B1, BOB);
    keys.add(A2, { ...ALICE, name: "Alice renamed" });
    expect(keys.list()).toEqual([
      { key: A2, account: { ...ALICE, name: "Alice renamed" } },
      { key: B1, account: BOB },
    ]);
    expect(keys.currentKey()).toBe(A2);
    keys.add(B1, BOB);
    expect(keys.list().map((r) => r.key)).toEqual([A2, B1]);
  });

  it("remove forgets an account; the current one removed leaves no current key", () => {
    const keys = new RememberedKeys(new MemoryStorage());
    keys.add(A1, ALICE);
    keys.add(B1, BOB);
    keys.remove(ALICE.id);
    expect(keys.list()).toEqual([{ key: B1, account: BOB }]);
    expect(keys.currentKey()).toBe(B1);
    keys.remove(BOB.id);
    expect(keys.list()).toEqual([]);
    expect(keys.currentKey()).toBeNull();
    keys.remove("ACC-unknown"); // nothing to do
    expect(keys.list()).toEqual([]);
  });

  it("removeKey forgets a current key that has no entry (stored by an older build)", () => {
    const storage = new MemoryStorage();
    storage.setItem(KEY_ITEM, A1);
    const keys = new RememberedKeys(storage);
    expect(keys.current()).toBeNull();
    keys.removeKey(A1);
    expect(storage.items.size).toBe(0);
  });

  it("clear forgets everything; an unreadable item counts as no entry", () => {
    const storage = new MemoryStorage();
    const keys = new RememberedKeys(storage);
    keys.add(A1, ALICE);
    keys.clear();
    expect(storage.items.size).toBe(0);
    storage.setItem(ACCOUNTS_ITEM, "{not json");
    expect(keys.list()).toEqual([]);
    storage.setItem(ACCOUNTS_ITEM, JSON.stringify([{ key: A1 }, { key: B1, account: BOB }, 7]));
    expect(keys.list()).toEqual([{ key: B1, account: BOB }]);
  });

  it("select by account id (find) returns its entry", () => {
    const keys = new RememberedKeys(new MemoryStorage());
    keys.add(A1, ALICE);
    expect(keys.find(ALICE.id)).toEqual({ key: A1, account: ALICE });
    expect(keys.find(BOB.id)).toBeNull();
  });
});
