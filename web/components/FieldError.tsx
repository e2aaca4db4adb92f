import { Show } from "solid-js";

/** The id of a control's error message, for its `aria-describedby` (undefined while there is no error). */
export function errorIdFor(controlId: string, message: string | undefined): string | undefined {
  return message ? `${controlId}-error` : undefined;
}

/** A field's error, placed under the control and linked to it with `errorIdFor()`. */
export function FieldError(props: { for: string; message: string | undefined; alert?: boolean }) {
  return (
    <Show when={props.message}>
      <p id={`${props.for}-error`} class="field-error" role={props.alert ? "alert" : undefined}>
        {props.message}
      </p>
    </Show>
  );
}
