import { For, Show, createEffect, onMount, type JSX } from "solid-js";
import { menuPath, type Crumb } from "../nav";
import { useSession } from "../session";

/** The first page of a visit keeps focus where the browser put it; later pages move it to their heading. */
let firstPage = true;

/** Call from a page heading's `onMount`: after client-side navigation, start keyboard and screen-reader users there. */
export function focusIfNavigated(heading: HTMLElement): void {
  if (!firstPage) heading.focus();
  firstPage = false;
}

/**
 * Page title plus the breadcrumb of the manual's menu path ("User Management & Services » Organizations").
 * The last crumb is the current page. `menu` names the page by its menu address (web/nav.ts) and the trail is its
 * menu path for the signed-in user; `trail` gives one outright (pages outside the menu, or deeper than it).
 */
export function PageHeader(props: { title: string; menu?: string; trail?: Crumb[]; children?: JSX.Element }) {
  const session = props.menu === undefined ? undefined : useSession();
  const trail = () => props.trail ?? (session && props.menu !== undefined ? menuPath(session(), props.menu) : []);
  let heading!: HTMLHeadingElement;
  createEffect(() => {
    document.title = `${props.title} · Cumulus`;
  });
  onMount(() => focusIfNavigated(heading));
  return (
    <div class="page-header">
      <Show when={trail().length > 0}>
        <nav class="breadcrumb" aria-label="Breadcrumb">
          <ol>
            <For each={trail()}>
              {(crumb, i) => (
                <li>
                  <Show when={i() > 0}>
                    <span class="crumb-sep" aria-hidden="true">
                      {" » "}
                    </span>
                  </Show>
                  <Show
                    when={i() < trail().length - 1}
                    fallback={<span aria-current="page">{crumb.label}</span>}
                  >
                    <Show when={crumb.href} fallback={<span>{crumb.label}</span>}>
                      {(href) => <a href={href()}>{crumb.label}</a>}
                    </Show>
                  </Show>
                </li>
              )}
            </For>
          </ol>
        </nav>
      </Show>
      <div class="page-title-row">
        <h1 ref={heading} tabindex="-1">
          {props.title}
        </h1>
        {props.children}
      </div>
    </div>
  );
}
