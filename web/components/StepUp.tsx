import { Show, createSignal, createUniqueId, type JSX } from "solid-js";
import { isApiError } from "../api/client";
import { stepUpWithPasskey, stepUpWithPassword } from "../api/account";
import { useFormAction } from "../forms";
import { InputField } from "./Field";
import { ErrorNotice } from "./Notices";

/**
 * Step-up in place: `guard(fn)` runs a sensitive call; when the API answers STEP_UP_REQUIRED, a dialog asks the
 * user to confirm it's them (password, plus a code when MFA is on, or a passkey) and then runs the call again,
 * so the action continues without leaving the page. Render `dialog` once in the page.
 */
export function createStepUp(opts: { mfa: () => boolean; passkeys: () => boolean }) {
  const [open, setOpen] = createSignal(false);
  const withPassword = useFormAction(stepUpWithPassword);
  const withPasskey = useFormAction(stepUpWithPasskey);
  // The dialog shows whichever way was tried last.
  const [tried, setTried] = createSignal<"password" | "passkey">("password");
  const last = () => (tried() === "password" ? withPassword : withPasskey);
  const error = () => last().error();
  const pending = () => withPassword.pending() || withPasskey.pending();
  let resolve: ((ok: boolean) => void) | undefined;
  let dialog!: HTMLDialogElement;
  let passwordInput!: HTMLInputElement;
  const id = createUniqueId();

  function ask(): Promise<boolean> {
    withPassword.reset();
    withPasskey.reset();
    setOpen(true);
    dialog.showModal();
    queueMicrotask(() => passwordInput?.focus());
    return new Promise((r) => (resolve = r));
  }

  function finish(ok: boolean) {
    setOpen(false);
    if (dialog.open) dialog.close();
    resolve?.(ok);
    resolve = undefined;
  }

  async function guard<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      if (!(isApiError(err) && err.code === "STEP_UP_REQUIRED")) throw err;
      if (!(await ask())) return undefined;
      return fn();
    }
  }

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (pending()) return;
    const form = new FormData(e.currentTarget as HTMLFormElement);
    withPasskey.reset();
    setTried("password");
    if (await withPassword.submit(String(form.get("password") ?? ""), String(form.get("code") ?? "").trim())) finish(true);
  }

  async function usePasskey() {
    if (pending()) return;
    withPassword.reset();
    setTried("passkey");
    if (await withPasskey.submit()) finish(true);
  }

  const fields = () => last().errors();

  const dialogEl: JSX.Element = (
    <dialog ref={dialog} class="dialog" aria-labelledby={`${id}-title`} onClose={() => open() && finish(false)}>
      <h2 id={`${id}-title`}>Confirm it's you</h2>
      <p>For your security, this action needs you to sign in again.</p>
      <Show when={error() && Object.keys(fields()).length === 0}>
        <ErrorNotice error={error()} />
      </Show>
      <form id={`${id}-form`} novalidate onSubmit={submit}>
        <InputField ref={passwordInput} id={`${id}-password`} label="Current password" name="password" type="password" autocomplete="current-password" error={fields().password} />
        <Show when={opts.mfa()}>
          <InputField id={`${id}-code`} label="Authentication code or recovery code" name="code" type="text" inputmode="text" autocomplete="one-time-code" error={fields().code} />
        </Show>
      </form>
      <div class="dialog-actions">
        <Show when={opts.passkeys()}>
          <button type="button" class="btn" aria-disabled={pending()} onClick={() => void usePasskey()}>
            Use a passkey
          </button>
        </Show>
        <button type="button" class="btn" onClick={() => finish(false)}>
          Cancel
        </button>
        <button type="submit" form={`${id}-form`} class="btn btn-primary" aria-disabled={pending()}>
          Confirm
        </button>
      </div>
    </dialog>
  );

  return { guard, dialog: dialogEl };
}
