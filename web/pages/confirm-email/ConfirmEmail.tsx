import { Show, createSignal, onMount } from "solid-js";
import { useSearchParams } from "@solidjs/router";
import { confirmEmail } from "../../api/account";
import { ErrorNotice } from "../../components/Notices";
import { useFormAction } from "../../forms";

/** Opened from the link sent to a new email address. A button (not the page load) confirms, so link scanners cannot. */
export default function ConfirmEmail() {
  const [params] = useSearchParams();
  const [done, setDone] = createSignal<string>();
  const form = useFormAction(confirmEmail);
  const token = () => {
    const t = params.token;
    return (Array.isArray(t) ? t[0] : t) ?? "";
  };
  onMount(() => (document.title = "Confirm your email address · Cumulus"));
  async function confirm() {
    const result = await form.submit(token());
    if (result) setDone(result.email);
  }
  return (
    <main class="auth-page" id="main">
      <div class="auth-card">
        <p class="brand brand-dark">Cumulus</p>
        <h1>Confirm your email address</h1>
        <Show
          when={done()}
          fallback={
            <>
              <Show when={form.error()}>
                <ErrorNotice error={form.error()} title="The email address was not changed." />
              </Show>
              <p>Confirm that this is the new email address for your Cumulus account.</p>
              <button type="button" class="btn btn-primary btn-block" aria-disabled={form.pending()} onClick={() => void confirm()}>
                Confirm email address
              </button>
            </>
          }
        >
          <div class="notice notice-success" role="status">
            Your email address is now <strong>{done()}</strong>. Use it the next time you sign in.
          </div>
          <a class="btn btn-primary btn-block" href="/">
            Continue to Cumulus
          </a>
        </Show>
      </div>
    </main>
  );
}
