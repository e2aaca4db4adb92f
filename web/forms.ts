/** Form state shared by the drawers: field errors from the API envelope, a general error, a pending flag. */
import { createSignal } from "solid-js";
import { isApiError } from "./api/client";

export function createFormState() {
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal<unknown>();
  const [pending, setPending] = createSignal(false);
  return {
    errors,
    error,
    pending,
    reset() {
      setErrors({});
      setError(undefined);
    },
    fieldError: (name: string) => errors()[name],
    /** Runs `work`; field errors land on their fields, anything else in the form's error notice. */
    async submit<T>(work: () => Promise<T>): Promise<T | undefined> {
      if (pending()) return undefined;
      setPending(true);
      setErrors({});
      setError(undefined);
      try {
        return await work();
      } catch (err) {
        if (isApiError(err) && err.fields && Object.keys(err.fields).length) {
          setErrors(err.fields);
          setError(err);
          // Move focus to the first invalid control.
          setTimeout(() => document.querySelector<HTMLElement>("[aria-invalid='true']")?.focus());
        } else setError(err);
        return undefined;
      } finally {
        setPending(false);
      }
    },
  };
}

/** A fresh key per form opening: the server credits once however often the same form is submitted. */
export const newRequestKey = () => crypto.randomUUID();
