import { For, Match, Show, Switch, createEffect, createSignal, lazy, onMount } from "solid-js";
import { query, useAction, useNavigate, useSearchParams, useSubmission, useSubmissions } from "@solidjs/router";
import type { SecondFactorStep, TotpSetup } from "../../../worker/contract/account";
import { enableTotp, setupTotp, signInWithPasskey, verifySecondFactor, verifySecondFactorWithPasskey } from "../../api/account";
import { safeNext, signIn } from "../../api/auth";
import { isApiError } from "../../api/client";
import { InputField } from "../../components/Field";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { ErrorNotice } from "../../components/Notices";
import { RecoveryCodesPanel } from "../../components/RecoveryCodes";
// Enrolment at sign-in is rare: its QR encoder loads only when that step is shown.
const TotpEnrolment = lazy(() => import("../../components/TotpEnrolment").then((m) => ({ default: m.TotpEnrolment })));

const FIELD_LABELS: Record<string, string> = { email: "Email", password: "Password" };

function tooManyAttempts(seconds: number | undefined): string {
  if (seconds === undefined) return "Too many attempts. Try again later.";
  return `Too many attempts. Try again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`;
}

export default function SignIn() {
  const [params] = useSearchParams();
  const attempts = useSubmissions(signIn);
  const submission = useSubmission(signIn);
  const apiError = () => (isApiError(submission.error) ? submission.error : undefined);
  const fields = () => (apiError()?.code === "VALIDATION_FAILED" ? (apiError()?.fields ?? {}) : {});
  const fieldError = (name: string) => fields()[name];
  /** Field errors the form has no input for (shown in the summary instead). */
  const otherFieldErrors = () => Object.entries(fields()).filter(([name]) => !(name in FIELD_LABELS));
  let form!: HTMLFormElement;

  onMount(() => {
    document.title = "Sign in · Cumulus";
    // Submissions outlive the page: a failed attempt from before the last sign-out must not greet the next visit.
    for (const attempt of [...attempts]) attempt.clear();
  });

  // After a validation error, put the cursor in the first field that needs fixing.
  createEffect(() => {
    const first = Object.keys(fields()).find((name) => name in FIELD_LABELS);
    if (first) form.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
  });

  const next = () => {
    const raw = params.next;
    return (Array.isArray(raw) ? raw[0] : raw) ?? "/";
  };

  /** Password accepted, but a second factor or MFA enrolment comes next. */
  const step = () => {
    const r = submission.result as SecondFactorStep | undefined;
    return r && typeof r === "object" && "next" in r ? r : undefined;
  };
  const startOver = () => {
    for (const attempt of [...attempts]) attempt.clear();
  };

  return (
    <Switch fallback={<PasswordStep />}>
      <Match when={step()?.next === "mfa"}>
        <SecondFactor next={next()} methods={step()?.methods ?? []} onRestart={startOver} />
      </Match>
      <Match when={step()?.next === "enrol"}>
        <Enrolment next={next()} onRestart={startOver} />
      </Match>
    </Switch>
  );

  function PasswordStep() {
  return (
    <main class="auth-page" id="main">
      <div class="auth-card">
        <p class="brand brand-dark">Cumulus</p>
        <h1>Sign in</h1>
        <Show when={submission.error}>
          <Switch fallback={<ErrorNotice error={submission.error} title="Sign-in failed." />}>
            <Match when={apiError()?.code === "VALIDATION_FAILED"}>
              <div class="notice notice-error" role="alert">
                <p>{apiError()?.message}</p>
                <Show when={otherFieldErrors().length > 0}>
                  <ul>
                    <For each={otherFieldErrors()}>{([, message]) => <li>{message}</li>}</For>
                  </ul>
                </Show>
              </div>
            </Match>
            <Match when={apiError()?.status === 429}>
              <div class="notice notice-error" role="alert">
                <p>{tooManyAttempts(apiError()?.retryAfter)}</p>
              </div>
            </Match>
            <Match when={apiError()?.status === 401}>
              <div class="notice notice-error" role="alert">
                <p>{apiError()?.message}</p>
              </div>
            </Match>
          </Switch>
        </Show>
        <form
          ref={form}
          action={signIn}
          method="post"
          novalidate
          aria-busy={submission.pending === true}
          onSubmit={(e) => {
            // One attempt at a time: a second submit while the first is in flight would spend the rate limit.
            if (submission.pending) e.preventDefault();
          }}
        >
          <input type="hidden" name="next" value={next()} />
          <InputField id="sign-in-email" label="Email" name="email" type="email" autocomplete="username" inputmode="email" spellcheck={false} error={fieldError("email")} />
          <InputField id="sign-in-password" label="Password" name="password" type="password" autocomplete="current-password" error={fieldError("password")} />
          <button type="submit" class="btn btn-primary btn-block">
            <Show when={submission.pending}>
              <span class="spinner" aria-hidden="true" />
            </Show>
            Sign in
          </button>
        </form>
        <p class="auth-divider">or</p>
        <PasskeySignIn next={next()} />
      </div>
    </main>
  );
  }
}

function PasskeySignIn(props: { next: string }) {
  const run = useAction(signInWithPasskey);
  const submission = useSubmission(signInWithPasskey);
  onMount(() => submission.clear?.());
  return (
    <>
      <Show when={submission.error}>
        <ErrorNotice error={submission.error} title="Passkey sign-in failed." />
      </Show>
      <button type="button" class="btn btn-block" aria-disabled={submission.pending === true} onClick={() => !submission.pending && void run(props.next).catch(() => undefined)}>
        Sign in with a passkey
      </button>
    </>
  );
}

function SecondFactor(props: { next: string; methods: SecondFactorStep["methods"]; onRestart: () => void }) {
  const run = useAction(verifySecondFactor);
  const submission = useSubmission(verifySecondFactor);
  const runPasskey = useAction(verifySecondFactorWithPasskey);
  const passkey = useSubmission(verifySecondFactorWithPasskey);
  const [local, setLocal] = createSignal<string>();
  // A code form for users with an authenticator app; a passkey button for users with a passkey (either, or both).
  const withCode = () => props.methods.includes("totp");
  const withPasskey = () => props.methods.includes("passkey");
  let input: HTMLInputElement | undefined;
  let passkeyButton: HTMLButtonElement | undefined;
  onMount(() => {
    document.title = withCode() ? "Authentication code · Cumulus" : "Confirm with your passkey · Cumulus";
    submission.clear?.();
    passkey.clear?.();
    (input ?? passkeyButton)?.focus();
  });
  const err = () => (isApiError(submission.error) ? submission.error : undefined);
  const expired = () => err()?.status === 401 || (isApiError(passkey.error) && passkey.error.status === 401);
  const message = () => local() ?? (err() && !expired() ? (err()!.fields?.code ?? err()!.message) : undefined);
  createEffect(() => {
    if (message()) input?.focus();
  });
  function submit(e: SubmitEvent) {
    e.preventDefault();
    if (submission.pending || !input) return;
    const code = input.value.trim();
    if (!code) {
      setLocal("Enter the code from your authenticator app, or a recovery code.");
      return;
    }
    setLocal(undefined);
    void run(code, props.next).catch(() => undefined);
    input.value = "";
  }
  return (
    <main class="auth-page" id="main">
      <div class="auth-card">
        <p class="brand brand-dark">Cumulus</p>
        <h1>Two-step verification</h1>
        <Show when={expired()}>
          <div class="notice notice-error" role="alert">
            <p>This sign-in has expired. Please sign in again.</p>
          </div>
        </Show>
        <Show when={passkey.error && !(isApiError(passkey.error) && passkey.error.status === 401)}>
          <ErrorNotice error={passkey.error} title="The passkey was not accepted." />
        </Show>
        <Show when={withPasskey()}>
          <p>{withCode() ? "Use one of your passkeys, or enter a code below." : "Your organization requires a second sign-in step: confirm with one of your passkeys."}</p>
          <button
            ref={passkeyButton}
            type="button"
            class={withCode() ? "btn btn-block" : "btn btn-primary btn-block"}
            aria-disabled={passkey.pending === true}
            onClick={() => !passkey.pending && void runPasskey(props.next).catch(() => undefined)}
          >
            Use a passkey
          </button>
        </Show>
        <Show when={withCode()}>
        <p>Enter the 6-digit code from your authenticator app. Lost your phone? Enter one of your recovery codes instead.</p>
        <form novalidate onSubmit={submit} aria-busy={submission.pending === true}>
          <div class="field">
            <label for="mfa-code">Authentication code</label>
            <input
              ref={input}
              id="mfa-code"
              name="code"
              type="text"
              autocomplete="one-time-code"
              spellcheck={false}
              aria-invalid={message() ? true : undefined}
              aria-describedby={errorIdFor("mfa-code", message())}
            />
            <FieldError for="mfa-code" message={message()} alert />
          </div>
          <button type="submit" class="btn btn-primary btn-block">
            <Show when={submission.pending}>
              <span class="spinner" aria-hidden="true" />
            </Show>
            Verify
          </button>
        </form>
        </Show>
        <button type="button" class="btn btn-block" onClick={() => props.onRestart()}>
          Use another account
        </button>
      </div>
    </main>
  );
}

function Enrolment(props: { next: string; onRestart: () => void }) {
  const navigate = useNavigate();
  const [setup, setSetup] = createSignal<TotpSetup>();
  const [codes, setCodes] = createSignal<string[]>();
  const [error, setError] = createSignal<unknown>();
  const enabling = useSubmission(enableTotp);
  onMount(async () => {
    document.title = "Set up multi-factor authentication · Cumulus";
    try {
      setSetup(await setupTotp());
    } catch (err) {
      setError(err);
    }
  });
  return (
    <main class="auth-page" id="main">
      <div class="auth-card auth-card-wide">
        <p class="brand brand-dark">Cumulus</p>
        <h1>Set up multi-factor authentication</h1>
        <Show when={error()}>
          <ErrorNotice error={error()} title="Setup could not start." />
        </Show>
        <Show
          when={codes()}
          fallback={
            <>
              <p>Your organization requires a second sign-in step. Add Cumulus to Google Authenticator or Microsoft Authenticator to continue.</p>
              <Show when={setup()}>
                {(st) => (
                  <>
                    <TotpEnrolment setup={st()} formId="enrol" onEnabled={setCodes} />
                    <button type="submit" form="enrol" class="btn btn-primary btn-block" aria-disabled={enabling.pending === true}>
                      Submit
                    </button>
                  </>
                )}
              </Show>
              <button type="button" class="btn btn-block" onClick={() => props.onRestart()}>
                Use another account
              </button>
            </>
          }
        >
          {(c) => (
            <>
              <RecoveryCodesPanel codes={c()} account={setup()?.account ?? ""} />
              <button
                type="button"
                class="btn btn-primary btn-block"
                onClick={() => {
                  query.clear();
                  navigate(safeNext(props.next), { replace: true });
                }}
              >
                Continue
              </button>
            </>
          )}
        </Show>
      </div>
    </main>
  );
}
