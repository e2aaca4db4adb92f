/**
 * The one write style (docs/decisions/015a-portal-structure.md): a `@solidjs/router` `action` run through
 * `useFormAction`, whose pending state, error and field errors come from the action's `useSubmission`. A check
 * made in the browser first (with the server's own zod schema) is shown the same way, without a round trip.
 */
import { createSignal } from "solid-js";
import { useAction, useSubmission, type Action } from "@solidjs/router";
import type { z } from "zod";
import { isApiError } from "./api/client";
import { zodFieldErrors } from "./validation";

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

/**
 * The drawer that creates a row or edits `props.editing` (the catalogue's Products, Plans and Contracts). Its fields
 * are bound to the edited row, so it is not reset on close like `useDialogForm` (docs/decisions/015-structure.md).
 * `onSubmit` reads the fields with `read`, checks them with the server's zod schema, saves through `act(id, input)`
 * (id null: create) and hands the saved row to `props.onSaved` with whether it was created.
 */
export function useRowDrawer<T extends { id: string }, I, U, V>(
  props: { editing: T | "new" | null; onClose: () => void; onSaved: (row: T, created: boolean) => void },
  act: Action<[string | null, I], U, V>,
  schema: z.ZodType,
  read: (data: FormData, current: T | null) => I,
) {
  const form = useFormAction(act);
  const current = () => (props.editing && props.editing !== "new" ? props.editing : null);
  let el: HTMLFormElement | undefined;
  return {
    form,
    current,
    err: (field: string) => form.fieldError(field),
    ref: (e: HTMLFormElement) => (el = e),
    async onSubmit(e: SubmitEvent) {
      e.preventDefault();
      const input = read(new FormData(el), current());
      const local = zodFieldErrors(schema, input);
      if (local) return form.refuse(local);
      const saved = await form.submit(current()?.id ?? null, input);
      if (saved) props.onSaved(saved as T, !current());
    },
    close() {
      form.reset();
      props.onClose();
    },
  };
}

/**
 * A list page's create/edit drawer and its success notice: `open(row)` (or `open("new")`) clears the last notice
 * and opens the drawer on that row, `saved(text)` closes it and says what was saved.
 */
export function useRowEditor<T>() {
  const [editing, setEditing] = createSignal<T | "new" | null>(null);
  const [notice, setNotice] = createSignal("");
  return {
    editing,
    notice,
    setNotice,
    open(row: T | "new") {
      setNotice("");
      setEditing(() => row);
    },
    close: () => setEditing(null),
    saved(text: string) {
      setEditing(null);
      setNotice(text);
    },
  };
}

/** A fresh key per form opening: the server credits once however often the same form is submitted. */
export const newRequestKey = () => crypto.randomUUID();
