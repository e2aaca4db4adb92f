import { type JSX } from "solid-js";
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
