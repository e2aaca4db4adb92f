import { Show, type JSX } from "solid-js";

/**
 * The sticky action bar at the bottom of a page. As in the manual, a page's primary buttons (Change, Save, Done,
 * Submit, Create) live here. Place it last in the page so it also comes last in the tab order.
 */
export function FooterBar(props: { children: JSX.Element; label?: string }) {
  return (
    <div class="footer-bar" role="region" aria-label={props.label ?? "Page actions"}>
      <div class="footer-bar-inner">{props.children}</div>
    </div>
  );
}

/**
 * A form's primary button (in the FooterBar or under the form): while the write is pending it shows a spinner and
 * is `aria-disabled`, so it stays focusable and a second press is ignored by the form's own pending check.
 */
export function SubmitButton(props: { pending: boolean; form?: string; children: JSX.Element }) {
  return (
    <button type="submit" form={props.form} class="btn btn-primary" aria-disabled={props.pending}>
      <Show when={props.pending}>
        <span class="spinner" aria-hidden="true" />
      </Show>
      {props.children}
    </button>
  );
}
