import { For, Show, type JSX } from "solid-js";
import { isApiError } from "../api/client";

const GENERIC = "Something unexpected went wrong in the portal. Reload the page and try again.";

/** A readable message for any error; `ApiError`s keep the server's message and request id. */
export function errorMessage(err: unknown): string {
  return isApiError(err) ? err.message : GENERIC;
}

export function Reference(props: { error: unknown }) {
  const id = () => (isApiError(props.error) ? props.error.requestId : "");
  return (
    <Show when={id()}>
      <p class="reference">Reference: {id()}</p>
    </Show>
  );
}

/** An error summary: announced at once (`role="alert"`), with the request id for support. */
export function ErrorNotice(props: { error: unknown; title?: string; onRetry?: () => void; children?: JSX.Element }) {
  return (
    <div class="notice notice-error" role="alert">
      <Show when={props.title}>
        <p class="notice-title">{props.title}</p>
      </Show>
      <p>{errorMessage(props.error)}</p>
      <Show when={isApiError(props.error) && props.error.fields}>
        {(fields) => (
          <ul>
            <For each={Object.entries(fields())}>{([, message]) => <li>{message}</li>}</For>
          </ul>
        )}
      </Show>
      {props.children}
      <Reference error={props.error} />
      <Show when={props.onRetry}>
        {(retry) => (
          <button type="button" class="btn btn-small" onClick={() => retry()()}>
            Try again
          </button>
        )}
      </Show>
    </div>
  );
}

/** A polite confirmation ("Privileges saved."). Focusable so a page can move focus to it after a save. */
export function SuccessNotice(props: { children: JSX.Element; ref?: (el: HTMLDivElement) => void }) {
  return (
    <div class="notice notice-success" role="status" tabindex="-1" ref={props.ref}>
      {props.children}
    </div>
  );
}

/** What the last action on a page came to: its confirmation (`notice`), or its refusal (`error`, under `title`). */
export function Outcome(props: { notice: string | undefined; error: unknown; title?: string }) {
  return (
    <>
      <Show when={props.notice}>
        <SuccessNotice>{props.notice}</SuccessNotice>
      </Show>
      <Show when={props.error}>
        <ErrorNotice error={props.error} title={props.title} />
      </Show>
    </>
  );
}

/** A form's refusal that no field shows (a refusal about a field is shown on that field): `form` is its `useFormAction`. */
export function FormRefusal(props: { form: { error: () => unknown; errors: () => Record<string, string> }; title: string }) {
  return (
    <Show when={props.form.error() && !Object.keys(props.form.errors()).length}>
      <ErrorNotice error={props.form.error()} title={props.title} />
    </Show>
  );
}

export function Loading(props: { label: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {props.label}
    </p>
  );
}

/**
 * The outcome of a test email (SMTP Configuration, the template editor): "Sending…" while it runs, then the
 * server's answer, or the refusal unless it is about a field (`onField`), which the field shows instead.
 */
export function TestSendOutcome(props: { pending: boolean; result: { ok: boolean; detail: string } | undefined; error: unknown; onField: boolean }) {
  return (
    <>
      <Show when={props.pending}>
        <p role="status">Sending…</p>
      </Show>
      <Show when={props.result}>
        {(r) => (
          <div class={`notice ${r().ok ? "notice-success" : "notice-error"}`} role="status">
            <p class="notice-title">{r().ok ? "Test email sent." : "The test email was not sent."}</p>
            <p class="send-result">{r().detail}</p>
          </div>
        )}
      </Show>
      <Show when={props.error && !props.onField}>
        <ErrorNotice error={props.error} title="The test email was not sent." />
      </Show>
    </>
  );
}
