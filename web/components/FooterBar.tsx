import type { JSX } from "solid-js";

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
