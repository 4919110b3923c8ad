// The API keys a person signed in with in this tab, for the account switcher. Kept in
// `sessionStorage` only (never `localStorage`: a key must not outlive the tab) and never logged.
// One entry per account: a key opens exactly one account (its id is the key's first part, and
// GET /accounts answers that account alone), so a second key of an account replaces the first.
import type { Account } from "./model";

/** The current account's key (the one REST and the sockets use). */
export const KEY_ITEM = "traderPro.apiKey";
/** Every remembered key with its account as GET /accounts gave it: JSON `[{key, account}]`. */
export const ACCOUNTS_ITEM = "traderPro.accounts";

/** The part of `sessionStorage` used here (a Map-backed one in tests). */
export interface KeyStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Remembered {
  key: string;
  account: Account;
}

function isRemembered(v: unknown): v is Remembered {
  const r = v as Remembered | null;
  return (
    typeof r === "object" && r !== null && typeof r.key === "string" && typeof r.account === "object" && r.account !== null &&
    typeof r.account.id === "string" && typeof r.account.name === "string" && typeof r.account.currency === "string"
  );
}

export class RememberedKeys {
  constructor(private readonly storage: KeyStorage) {}

  /** In the order they were first added; an unreadable item counts as none. */
  list(): Remembered[] {
    const raw = this.storage.getItem(ACCOUNTS_ITEM);
    if (raw === null) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.filter(isRemembered) : [];
    } catch {
      return [];
    }
  }

  currentKey(): string | null {
    return this.storage.getItem(KEY_ITEM);
  }

  current(): Remembered | null {
    const key = this.currentKey();
    return key === null ? null : (this.list().find((r) => r.key === key) ?? null);
  }

  /** The remembered accounts other than the current one (the switcher's menu). */
  others(): Remembered[] {
    const key = this.currentKey();
    return this.list().filter((r) => r.key !== key);
  }

  find(accountId: string): Remembered | null {
    return this.list().find((r) => r.account.id === accountId) ?? null;
  }

  /** A key the server accepted for `account`: remembered (replacing that account's older key, in its place) and made current. */
  add(key: string, account: Account): Remembered {
    const entry = { key, account: { id: account.id, name: account.name, currency: account.currency } };
    const list = this.list();
    const at = list.findIndex((r) => r.account.id === account.id);
    if (at >= 0) list[at] = entry;
    else list.push(entry);
    this.write(list);
    this.storage.setItem(KEY_ITEM, key);
    return entry;
  }

  /** Forgets an account's key; when it was the current one there is no current key any more. */
  remove(accountId: string): void {
    const list = this.list();
    const gone = list.filter((r) => r.account.id === accountId);
    this.write(list.filter((r) => r.account.id !== accountId));
    const current = this.currentKey();
    if (current !== null && gone.some((r) => r.key === current)) this.storage.removeItem(KEY_ITEM);
  }

  /** Forgets a key whatever account it names (a stored current key may have no entry: an older build's). */
  removeKey(key: string): void {
    this.write(this.list().filter((r) => r.key !== key));
    if (this.currentKey() === key) this.storage.removeItem(KEY_ITEM);
  }

  clear(): void {
    this.storage.removeItem(ACCOUNTS_ITEM);
    this.storage.removeItem(KEY_ITEM);
  }

  private write(list: Remembered[]): void {
    if (list.length) this.storage.setItem(ACCOUNTS_ITEM, JSON.stringify(list));
    else this.storage.removeItem(ACCOUNTS_ITEM);
  }
}
