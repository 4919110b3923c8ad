// Sign-in with an API key (AUTH=required). The key is checked with GET /accounts before any
// socket is opened: a browser cannot read the status of a refused WebSocket handshake, so a bad
// key would otherwise look like a server that never answers. With AUTH=off the same request
// answers the demo account without a key and the terminal starts as before.
import { HttpError } from "./api/http";
import type { Account } from "./model";

export const KEY_ITEM = "traderPro.apiKey";
/** A message for the sign-in form after a reload (e.g. the key was revoked while in use). */
export const MESSAGE_ITEM = "traderPro.signInMessage";
export const REFUSED = "The server refused this API key (unknown or revoked).";

/** The part of `sessionStorage` used here (a Map-backed one in tests). */
export interface KeyStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

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

export class Session {
  constructor(
    private readonly storage: KeyStorage,
    private readonly accounts: (key: string | null) => Promise<Account[]>,
  ) {}

  storedKey(): string | null {
    return this.storage.getItem(KEY_ITEM);
  }

  /** At start: the stored key (or none); a refused stored key is forgotten. */
  async resume(): Promise<CheckResult> {
    const key = this.storedKey();
    const result = await this.check(key);
    if (result.kind === "needs-key" && key !== null) this.storage.removeItem(KEY_ITEM);
    return result;
  }

  /** A key typed by the user: kept in the session's storage once the server accepts it. */
  async submit(typed: string): Promise<CheckResult> {
    const key = typed.trim();
    const bad = keyFormatError(key);
    if (bad) return { kind: "needs-key", message: bad };
    const result = await this.check(key);
    if (result.kind === "signed-in") this.storage.setItem(KEY_ITEM, key);
    return result;
  }

  signOut(message: string | null = null): void {
    this.storage.removeItem(KEY_ITEM);
    if (message) this.storage.setItem(MESSAGE_ITEM, message);
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
