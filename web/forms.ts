/**
 * The one write style (docs/decisions/015a-portal-structure.md): a `@solidjs/router` `action` run through
 * `useFormAction`, whose pending state, error and field errors come from the action's `useSubmission`. A check
 * made in the browser first (with the server's own zod schema) is shown the same way, without a round trip.
 */
import { createSignal } from "solid-js";
import { useAction, useSubmission, type Action } from "@solidjs/router";
import { isApiError } from "./api/client";

/** Move focus to the first invalid control, once it has rendered. */
const focusFirstInvalid = () => setTimeout(() => document.querySelector<HTMLElement>("[aria-invalid='true']")?.focus());

export function useFormAction<A extends unknown[], U, V>(act: Action<A, U, V>) {
  const run = useAction(act);
  const submission = useSubmission(act);
  // A refusal found before sending: shown like the server's, cleared by the next attempt.
  const [local, setLocal] = createSignal<unknown>();
  // Field messages from a check in the browser that shows no general error notice (see `check`).
  const [localFields, setLocalFields] = createSignal<Record<string, string>>({});
  const error = () => local() ?? submission.error;
  const errors = (): Record<string, string> => {
    const e = error();
    return { ...(isApiError(e) ? (e.fields ?? {}) : {}), ...localFields() };
  };
  return {
    pending: () => Boolean(submission.pending),
    error,
    errors,
    fieldError: (name: string) => errors()[name],
    reset() {
      setLocal(undefined);
      setLocalFields({});
      submission.clear();
    },
    /** Field messages found in the browser, shown on their fields only; true when there are none. */
    check(fields: Record<string, string>): boolean {
      setLocal(undefined);
      submission.clear();
      setLocalFields(fields);
      return Object.keys(fields).length === 0;
    },
    /** Shows a refusal found in the browser (e.g. `zodFieldErrors(Schema, input)`) without sending anything. */
    refuse(err: unknown) {
      submission.clear();
      setLocal(err);
      if (isApiError(err) && err.fields) focusFirstInvalid();
    },
    /** Runs the action once at a time; field errors land on their fields, anything else in the form's notice. */
    async submit(...args: Parameters<typeof run>): Promise<Awaited<ReturnType<typeof run>> | undefined> {
      if (submission.pending) return undefined;
      setLocal(undefined);
      setLocalFields({});
      submission.clear();
      try {
        return await run(...args);
      } catch (err) {
        if (isApiError(err) && err.fields && Object.keys(err.fields).length) focusFirstInvalid();
        return undefined;
      }
    },
    /** Like `submit`, but a refusal is also thrown to the caller (e.g. to `createStepUp`'s `guard`, which retries after STEP_UP_REQUIRED). */
    async attempt(...args: Parameters<typeof run>): Promise<Awaited<ReturnType<typeof run>> | undefined> {
      if (submission.pending) return undefined;
      setLocal(undefined);
      setLocalFields({});
      submission.clear();
      return await run(...args);
    },
  };
}

/**
 * The form of a dialog or drawer: `useFormAction` plus the form element (`ref`), so that `close()` clears the
 * messages and the fields and closes, and `send(...)` submits and, when it went through, clears them too (the next
 * opening starts empty).
 */
export function useDialogForm<A extends unknown[], U, V>(act: Action<A, U, V>, onClose: () => void) {
  const form = useFormAction(act);
  let el: HTMLFormElement | undefined;
  const clear = () => {
    form.reset();
    el?.reset();
  };
  return {
    ...form,
    ref: (e: HTMLFormElement) => (el = e),
    /** The form's fields (the form must be rendered). */
    data: () => new FormData(el),
    /** Submits the form as if its submit button were pressed (a dialog's confirm button outside the form). */
    requestSubmit: () => el?.requestSubmit(),
    close() {
      clear();
      onClose();
    },
    async send(...args: Parameters<typeof form.submit>) {
      const done = await form.submit(...args);
      if (done !== undefined) clear();
      return done;
    },
  };
}

/** A fresh key per form opening: the server credits once however often the same form is submitted. */
export const newRequestKey = () => crypto.randomUUID();
