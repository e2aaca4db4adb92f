import { For, Show } from "solid-js";

/** A banner in the header's notifications area (e.g. a dunning warning with a link to pay). */
export interface Notice {
  id: string;
  tone: "info" | "warning" | "danger";
  message: string;
  action?: { label: string; href: string };
  /** A second link (e.g. "Ask for more time" beside "Pay now"). */
  more?: { label: string; href: string };
}

/** The header's notifications area. Renders an empty region when there is nothing to show. */
export function Notifications(props: { items: Notice[] }) {
  return (
    <div class="notifications" role="region" aria-label="Notifications">
      <For each={props.items}>
        {(notice) => (
          <div class={`banner banner-${notice.tone}`}>
            <p>{notice.message}</p>
            <Show when={notice.action}>{(action) => <a href={action().href}>{action().label}</a>}</Show>
            <Show when={notice.more}>{(more) => <a href={more().href}>{more().label}</a>}</Show>
          </div>
        )}
      </For>
    </div>
  );
}
