// The account switcher's logic (no DOM): what each menu action does to the remembered keys and
// what the terminal must do next — start again with another key, go back to the sign-in form, or
// stay as it is with a message in the menu. ui/switcher.ts draws it; main.ts applies the outcome.
import type { Remembered } from "./accounts";
import type { Account } from "./model";
import { REFUSED, type Session } from "./session";

export type Outcome =
  /** Tear the terminal down (sockets, every account-bound row) and start it with this key. */
  | { kind: "start"; key: string | null; account: Account; notice: string | null }
  /** Tear the terminal down and ask for a key. */
  | { kind: "sign-in"; message: string | null }
  /** Nothing changes; the menu says why. */
  | { kind: "stay"; message: string };

export class Switcher {
  private busy = false;

  constructor(private readonly session: Session) {}

  /** The current account's entry and the others, in the order they were added. */
  entries(): { current: Remembered | null; others: Remembered[] } {
    return { current: this.session.keys.current(), others: this.session.keys.others() };
  }

  /** Another remembered account, its key checked again with GET /accounts (it may have been revoked meanwhile). */
  switchTo(accountId: string): Promise<Outcome | null> {
    return this.once(async () => {
      if (accountId === this.session.keys.current()?.account.id) return { kind: "stay", message: "This account is the current one." };
      const r = await this.session.switchTo(accountId);
      if (r.kind === "signed-in") return { kind: "start", key: r.key, account: r.account, notice: null };
      return { kind: "stay", message: r.message ?? REFUSED };
    });
  }

  /** "Add account…": a typed key, checked like at sign-in; accepted, it is remembered and becomes current. */
  add(typed: string): Promise<Outcome | null> {
    return this.once(async () => {
      const r = await this.session.submit(typed);
      if (r.kind === "signed-in") return { kind: "start", key: r.key, account: r.account, notice: null };
      return { kind: "stay", message: r.message ?? REFUSED };
    });
  }

  /** "Sign out" of the current account: the next remembered account the server accepts, else the sign-in form. */
  signOut(): Promise<Outcome | null> {
    return this.once(async () => {
      this.session.signOut();
      return this.next(null, null);
    });
  }

  /** "Sign out of all accounts": every key forgotten. */
  signOutAll(): Outcome {
    this.session.signOutAll();
    return { kind: "sign-in", message: null };
  }

  /** The current key was refused while in use (revoked): forgotten, and the next account takes over, saying why. */
  revoked(): Promise<Outcome | null> {
    return this.once(async () => {
      const gone = this.session.keys.current()?.account;
      this.session.signOut();
      return this.next(REFUSED, gone ? `${gone.name} (${gone.id}): ${REFUSED}` : REFUSED);
    });
  }

  /** `why` for the sign-in form, `notice` for the terminal of the account that takes over. */
  private async next(why: string | null, notice: string | null): Promise<Outcome> {
    const r = await this.session.next();
    if (r.kind === "signed-in") return { kind: "start", key: r.key, account: r.account, notice };
    return { kind: "sign-in", message: why ?? r.message };
  }

  /** One action at a time: a second click while a key is being checked does nothing (null). */
  private async once(action: () => Promise<Outcome>): Promise<Outcome | null> {
    if (this.busy) return null;
    this.busy = true;
    try {
      return await action();
    } finally {
      this.busy = false;
    }
  }
}
