import { Show, splitProps, type JSX } from "solid-js";
import { FieldError } from "./FieldError";

/** A labelled form field with its hint and error; the control gets `aria-describedby` through `describedBy()`. */
export function Field(props: { id: string; label: string; error?: string; hint?: string; children: JSX.Element }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <p id={`${props.id}-hint`} class="muted field-hint">
          {props.hint}
        </p>
      ) : null}
      <FieldError for={props.id} message={props.error} />
    </div>
  );
}

/** `aria-describedby` for a control: its hint and its error, when present. */
export function describedBy(id: string, error?: string, hint?: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/**
 * A labelled `<input>` that its form reads by `name` (not bound to a signal: sign-in, the step-up dialog), with its
 * error linked through `aria-describedby`; every other attribute goes to the input.
 */
export function InputField(props: JSX.InputHTMLAttributes<HTMLInputElement> & { id: string; label: string; error?: string }) {
  const [own, input] = splitProps(props, ["label", "error"]);
  return (
    <Field id={props.id} label={own.label} error={own.error}>
      <input {...input} aria-invalid={own.error ? true : undefined} aria-describedby={describedBy(props.id, own.error)} />
    </Field>
  );
}

/**
 * The common `Field`: a labelled text input (a textarea with `rows`) bound to a value, with its hint and error
 * linked through `aria-describedby`.
 */
export function TextField(props: { id: string; label: string; value: string; onInput: (value: string) => void; error?: string; hint?: string; type?: string; autocomplete?: string; rows?: number }) {
  const invalid = () => (props.error ? true : undefined);
  const described = () => describedBy(props.id, props.error, Boolean(props.hint));
  return (
    <Field id={props.id} label={props.label} error={props.error} hint={props.hint}>
      <Show when={props.rows} fallback={<input id={props.id} type={props.type ?? "text"} autocomplete={props.autocomplete} value={props.value} onInput={(e) => props.onInput(e.currentTarget.value)} aria-invalid={invalid()} aria-describedby={described()} />}>
        <textarea id={props.id} rows={props.rows} value={props.value} onInput={(e) => props.onInput(e.currentTarget.value)} aria-invalid={invalid()} aria-describedby={described()} />
      </Show>
    </Field>
  );
}

/** The "Reason" a form sends with a decision (dunning, card unblocking, a request for more time): up to 500 characters. */
export function ReasonField(props: { id: string; error?: string }) {
  return (
    <Field id={props.id} label="Reason" error={props.error}>
      <textarea id={props.id} name="reason" rows="3" maxLength={500} aria-invalid={props.error ? true : undefined} aria-describedby={describedBy(props.id, props.error)} />
    </Field>
  );
}
