// The sign-in form of AUTH=required: one API key, checked by the server before the terminal starts.
import type { CheckResult, Session } from "../session";
import { h, replaceChildren } from "./dom";

/** Shows the form until the server accepts a key; resolves with the signed-in result. */
export function signInForm(
  root: Element,
  session: Session,
  message: string | null,
): Promise<Extract<CheckResult, { kind: "signed-in" }>> {
  return new Promise((resolve) => {
    const input = h("input", {
      type: "password",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "ACCOUNT_ID.KEY_ID.SECRET",
      "data-testid": "signin-key",
    });
    const submit = h("button", { class: "primary", type: "submit", "data-testid": "signin-submit" }, "Sign in");
    const status = h("div", { class: "result", role: "alert", "data-testid": "signin-message" });
    const show = (text: string | null) => replaceChildren(status, text ? h("span", { class: "error" }, text) : null);
    const form = h(
      "form",
      { class: "panel signin", "data-testid": "signin-form" },
      h("h1", {}, "Trader Pro"),
      h("p", {}, "This server requires an API key. Ask its operator for one (", h("code", {}, "python -m app accounts create NAME"), ")."),
      h("label", {}, h("span", {}, "API key"), input),
      submit,
      status,
      h("p", { class: "muted" }, "The key is kept in this tab only (session storage) until you sign out."),
    );
    show(message);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      submit.disabled = true;
      void session.submit(input.value).then((r) => {
        submit.disabled = false;
        if (r.kind === "signed-in") {
          form.remove();
          resolve(r);
        } else show(r.message);
      });
    });
    root.replaceChildren(form);
    input.focus();
  });
}
