import { Show, createSignal } from "solid-js";
import { useAction, useSubmission } from "@solidjs/router";
import { changePassword } from "../../api/account";
import { isApiError } from "../../api/client";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { FooterBar, SubmitButton } from "../../components/FooterBar";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { useSession } from "../../session";

const HREF = "/account/password";
const LABELS = { oldPassword: "Old password", newPassword: "New password", confirmPassword: "Confirm new password" } as const;
type Field = keyof typeof LABELS;

/** User Management & Services >> Account Settings >> Change Password: old, new, confirmation; "Done" in the footer. */
export default function ChangePassword() {
  const session = useSession();
  const run = useAction(changePassword);
  const submission = useSubmission(changePassword);
  const [error, setError] = createSignal<unknown>();
  const [done, setDone] = createSignal(false);
  const [local, setLocal] = createSignal<Partial<Record<Field, string>>>({});
  let form!: HTMLFormElement;
  let notice: HTMLDivElement | undefined;

  const fields = (): Partial<Record<Field, string>> => {
    const err = error();
    return { ...(isApiError(err) ? (err.fields ?? {}) : {}), ...local() };
  };

  async function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    if (submission.pending) return;
    const data = new FormData(form);
    const value = (k: Field) => String(data.get(k) ?? "");
    const problems: Partial<Record<Field, string>> = {};
    if (!value("oldPassword")) problems.oldPassword = "Enter your current password.";
    if (value("newPassword").length < 12) problems.newPassword = "Use at least 12 characters.";
    if (value("confirmPassword") !== value("newPassword")) problems.confirmPassword = "The passwords do not match.";
    setLocal(problems);
    setError(undefined);
    setDone(false);
    const first = Object.keys(problems)[0];
    if (first) {
      form.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
      return;
    }
    try {
      await run({ oldPassword: value("oldPassword"), newPassword: value("newPassword"), confirmPassword: value("confirmPassword") });
      form.reset();
      setDone(true);
      queueMicrotask(() => notice?.focus());
    } catch (err) {
      setError(err);
      const f = Object.keys(isApiError(err) ? (err.fields ?? {}) : {})[0];
      if (f) form.querySelector<HTMLInputElement>(`[name="${f}"]`)?.focus();
    }
  }

  const field = (name: Field, autocomplete: string, hint?: string) => (
    <div class="field">
      <label for={`pw-${name}`}>{LABELS[name]}</label>
      <input
        id={`pw-${name}`}
        name={name}
        type="password"
        autocomplete={autocomplete}
        aria-invalid={fields()[name] ? true : undefined}
        aria-describedby={[hint ? `pw-${name}-hint` : "", errorIdFor(`pw-${name}`, fields()[name]) ?? ""].join(" ").trim() || undefined}
      />
      <Show when={hint}>
        <p id={`pw-${name}-hint`} class="muted">
          {hint}
        </p>
      </Show>
      <FieldError for={`pw-${name}`} message={fields()[name]} />
    </div>
  );

  return (
    <div class="page">
      <PageHeader title="Change Password" menu={HREF} />
      <Show when={done()}>
        <SuccessNotice ref={(el) => (notice = el)}>Your password was changed. Every other session has been signed out; you stay signed in here.</SuccessNotice>
      </Show>
      <Show when={error() && Object.keys(isApiError(error()) ? ((error() as { fields?: object }).fields ?? {}) : {}).length === 0}>
        <ErrorNotice error={error()} title="The password was not changed." />
      </Show>
      <section class="section">
        <form ref={form} id="password-form" novalidate onSubmit={onSubmit}>
          {field("oldPassword", "current-password")}
          {field("newPassword", "new-password", "At least 12 characters. Common passwords are refused; a few unrelated words work well.")}
          {field("confirmPassword", "new-password")}
        </form>
      </section>
      <FooterBar>
        <SubmitButton form="password-form" pending={submission.pending === true}>Done</SubmitButton>
      </FooterBar>
    </div>
  );
}
