import { For, Match, Show, Switch, createEffect, onMount } from "solid-js";
import { useSearchParams, useSubmission, useSubmissions } from "@solidjs/router";
import { signIn } from "../../api/auth";
import { isApiError } from "../../api/client";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { ErrorNotice } from "../../components/Notices";

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
          <div class="field">
            <label for="sign-in-email">Email</label>
            <input
              id="sign-in-email"
              name="email"
              type="email"
              autocomplete="username"
              inputmode="email"
              spellcheck={false}
              aria-invalid={fieldError("email") ? true : undefined}
              aria-describedby={errorIdFor("sign-in-email", fieldError("email"))}
            />
            <FieldError for="sign-in-email" message={fieldError("email")} />
          </div>
          <div class="field">
            <label for="sign-in-password">Password</label>
            <input
              id="sign-in-password"
              name="password"
              type="password"
              autocomplete="current-password"
              aria-invalid={fieldError("password") ? true : undefined}
              aria-describedby={errorIdFor("sign-in-password", fieldError("password"))}
            />
            <FieldError for="sign-in-password" message={fieldError("password")} />
          </div>
          <button type="submit" class="btn btn-primary btn-block">
            <Show when={submission.pending}>
              <span class="spinner" aria-hidden="true" />
            </Show>
            Sign in
          </button>
        </form>
      </div>
    </main>
  );
}
