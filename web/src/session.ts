// Sign-in with an API key (AUTH=required). The key is checked with GET /accounts before any
// socket is opened: a browser cannot read the status of a refused WebSocket handshake, so a bad
// key would otherwise look like a server that never answers. With AUTH=off the same request
// answers the demo account without a key and the terminal starts as before.
// Several keys may be signed in at once in a tab (the account switcher): accounts.ts remembers
// them, this file checks each with the server before it is used.
import { RememberedKeys, type KeyStorage } from "./accounts";
import { HttpError } from "./api/http";
import type { Account } from "./model";

export { ACCOUNTS_ITEM, KEY_ITEM, type KeyStorage, type Remembered } from "./accounts";
/** A message for the sign-in form after a reload (e.g. the key was revoked while in use). */
export const MESSAGE_ITEM = "traderPro.signInMessage";
export const REFUSED = "The server refused this API key (unknown or revoked).";

export type CheckResult =
  | { kind: "signed-in"; key: string | null; account: Account }
  | { kind: "needs-key"; message: string | null }
  | { kind: "unreachable"; message: string };

/** `ACCOUNT_ID.KEY_ID.SECRET`, three non-empty parts (README, "Accounts and API keys"). */
export function keyFormatError(key: string): string | null {
  const parts = key.split(".");
  if (parts.length !== 3 || parts.some((p) => p === "" || /\s/.test(p))) {
    return "An API key reads ACCOUNT_ID.KEY_ID.SECRET (as printed by `python -m app accounts create`).";
  }
  return null;
}

export type SignedIn = Extract<CheckResult, { kind: "signed-in" }>;

export class Session {
  readonly keys: RememberedKeys;

  constructor(
    private readonly storage: KeyStorage,
    private readonly accounts: (key: string | null) => Promise<Account[]>,
  ) {
    this.keys = new RememberedKeys(storage);
  }

  storedKey(): string | null {
    return this.keys.currentKey();
  }

  /**
   * At start (also after a reload): the current key (or none); a refused one is forgotten, and
   * then the other remembered keys are tried in turn before the sign-in form is asked for.
   */
  async resume(): Promise<CheckResult> {
    const key = this.storedKey();
    const result = await this.check(key);
    if (result.kind === "signed-in" && key !== null) this.keys.add(key, result.account);
    if (result.kind !== "needs-key") return result;
    if (key !== null) this.keys.removeKey(key);
    if (!this.keys.list().length) return result;
    const next = await this.next();
    return next.kind === "needs-key" ? { kind: "needs-key", message: result.message ?? next.message } : next;
  }

  /** A key typed by the user (sign-in form, "Add account…"): remembered and made current once the server accepts it. */
  async submit(typed: string): Promise<CheckResult> {
    const key = typed.trim();
    const bad = keyFormatError(key);
    if (bad) return { kind: "needs-key", message: bad };
    const result = await this.check(key);
    if (result.kind === "signed-in") this.keys.add(key, result.account);
    return result;
  }

  /**
   * The switcher: a remembered account becomes current once the server still accepts its key; a
   * refused key is forgotten (needs-key, saying whose); an unreachable server changes nothing.
   */
  async switchTo(accountId: string): Promise<CheckResult> {
    const entry = this.keys.find(accountId);
    if (!entry) return { kind: "needs-key", message: `No key is remembered for ${accountId}.` };
    const result = await this.check(entry.key);
    if (result.kind === "signed-in") this.keys.add(entry.key, result.account);
    else if (result.kind === "needs-key") {
      this.keys.remove(accountId);
      return { kind: "needs-key", message: `${entry.account.name} (${accountId}): ${result.message ?? REFUSED}` };
    }
    return result;
  }

  /** After the current account signed out: the first remembered account the server still accepts, else the sign-in form. */
  async next(): Promise<CheckResult> {
    let message: string | null = null;
    for (const entry of this.keys.list()) {
      const result = await this.switchTo(entry.account.id);
      if (result.kind !== "needs-key") return result;
      message = result.message;
    }
    return { kind: "needs-key", message };
  }

  /** Signs the current account out (its key forgotten); the other remembered keys stay. */
  signOut(message: string | null = null): void {
    const key = this.keys.currentKey();
    if (key !== null) this.keys.removeKey(key);
    if (message) this.storage.setItem(MESSAGE_ITEM, message);
  }

  /** Every remembered key forgotten. */
  signOutAll(): void {
    this.keys.clear();
  }

  /** The message left by signOut(message), once. */
  takeMessage(): string | null {
    const m = this.storage.getItem(MESSAGE_ITEM);
    this.storage.removeItem(MESSAGE_ITEM);
    return m;
  }

  /** While signed in: is the key still accepted? (a socket that keeps failing may mean it was revoked) */
  async stillValid(key: string): Promise<boolean> {
    return (await this.check(key)).kind !== "needs-key";
  }

  private async check(key: string | null): Promise<CheckResult> {
    try {
      const list = await this.accounts(key);
      const account = list[0];
      if (!account) return { kind: "unreachable", message: "The server lists no account for this key." };
      return { kind: "signed-in", key, account };
    } catch (e) {
      if (e instanceof HttpError && e.status === 401) {
        return { kind: "needs-key", message: key === null ? null : REFUSED };
      }
      if (e instanceof HttpError && e.status === 429) {
        return { kind: "needs-key", message: "Too many attempts: wait a few seconds and try again." };
      }
      const message = e instanceof HttpError ? `HTTP ${e.status}` : e instanceof Error ? e.message : String(e);
      return { kind: "unreachable", message: `Cannot reach the server: ${message}` };
    }
  }
}
