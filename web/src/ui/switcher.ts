// The header's account: name and id; signed in with a key (AUTH=required) it opens a menu of the
// other accounts signed in in this tab, "Add account…" and "Sign out". With AUTH=off (no key) it
// is a plain label: one account, nothing to switch.
import type { Account } from "../model";
import type { Outcome, Switcher } from "../switcher";
import { h, replaceChildren } from "./dom";

function label(account: Account): HTMLElement[] {
  return [h("b", { "data-testid": "account-name" }, account.name), h("small", { "data-testid": "account-id" }, account.id)];
}

/** `apply` receives every outcome that changes the terminal (start with another key, sign-in form). */
export function accountSwitcher(account: Account, switcher: Switcher | null, apply: (o: Outcome) => void): HTMLElement {
  const attrs = { class: "account-id", "data-testid": "account", "data-account-id": account.id, title: `currency ${account.currency}` };
  if (switcher === null) return h("span", attrs, ...label(account));

  const menu = h("div", { class: "account-menu", "data-testid": "account-menu", role: "menu", hidden: true });
  const button = h("button", { ...attrs, type: "button", "aria-haspopup": "menu", "aria-expanded": "false" }, ...label(account), h("span", { class: "caret" }, "▾"));
  const el = h("div", { class: "switcher" }, button, menu);
  const message = h("div", { class: "result", role: "alert", "data-testid": "account-menu-message" });
  let adding = false;
  let form: HTMLElement | null = null;

  const say = (text: string | null) => replaceChildren(message, text ? h("span", { class: "error" }, text) : null);
  const run = (pending: Promise<Outcome | null> | Outcome, busy: HTMLElement[] = []) => {
    for (const b of busy) b.toggleAttribute("disabled", true);
    void Promise.resolve(pending).then((o) => {
      for (const b of busy) b.toggleAttribute("disabled", false);
      if (o === null) return;
      if (o.kind === "stay") {
        render();
        say(o.message);
      } else {
        close();
        apply(o);
      }
    });
  };
  const onOutside = (ev: Event) => {
    if (!el.contains(ev.target as Node)) close();
  };
  const onKey = (ev: KeyboardEvent) => {
    if (ev.key === "Escape") close();
  };
  function open(): void {
    adding = false;
    form = null;
    render();
    say(null);
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    document.addEventListener("pointerdown", onOutside);
    document.addEventListener("keydown", onKey);
  }
  function close(): void {
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    document.removeEventListener("pointerdown", onOutside);
    document.removeEventListener("keydown", onKey);
  }

  function addForm(): HTMLElement {
    if (form) return form;
    const input = h("input", { type: "password", autocomplete: "off", spellcheck: "false", placeholder: "ACCOUNT_ID.KEY_ID.SECRET", "data-testid": "account-add-key" });
    const submit = h("button", { class: "primary", type: "submit", "data-testid": "account-add-submit" }, "Add");
    form = h("form", { class: "account-add", "data-testid": "account-add-form" }, input, submit);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      run(switcher!.add(input.value), [submit]);
    });
    queueMicrotask(() => input.focus());
    return form;
  }

  function render(): void {
    const { others } = switcher!.entries();
    const items = others.map((r) => {
      const b = h(
        "button",
        { type: "button", class: "menu-item", role: "menuitem", "data-testid": `switch-${r.account.id}`, "data-account-id": r.account.id },
        h("b", {}, r.account.name),
        h("small", {}, r.account.id),
      );
      b.addEventListener("click", () => run(switcher!.switchTo(r.account.id), [b]));
      return b;
    });
    const add = h("button", { type: "button", class: "menu-item", role: "menuitem", "data-testid": "account-add" }, "Add account…");
    add.addEventListener("click", () => {
      adding = !adding;
      render();
      say(null);
    });
    const signOut = h("button", { type: "button", class: "menu-item", role: "menuitem", "data-testid": "sign-out" }, others.length ? `Sign out of ${account.name}` : "Sign out");
    signOut.addEventListener("click", () => run(switcher!.signOut(), [signOut]));
    const signOutAll = others.length
      ? h("button", { type: "button", class: "menu-item", role: "menuitem", "data-testid": "sign-out-all" }, "Sign out of all accounts")
      : null;
    signOutAll?.addEventListener("click", () => run(switcher!.signOutAll()));
    replaceChildren(
      menu,
      others.length ? h("div", { class: "menu-head" }, "Switch to") : null,
      ...items,
      add,
      adding ? addForm() : null,
      message,
      h("hr", {}),
      signOut,
      signOutAll,
    );
  }

  button.addEventListener("click", () => (menu.hidden ? open() : close()));
  return el;
}
