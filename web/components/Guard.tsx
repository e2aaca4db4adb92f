/**
 * Screens guarded by the same rule as the menu (their entry in worker/contract/screens.ts, through `mayOpen`): a screen a person may not use is never offered,
 * even by its address: they get "Access denied" in the page area, with the menu still there. Route preloads are
 * guarded the same way, so no request is sent that can only answer 403.
 */
import { Show, type Component } from "solid-js";
import type { RouteSectionProps } from "@solidjs/router";
import type { Screen } from "../../worker/contract/screens";
import { getSession } from "../api/auth";
import { mayOpen } from "../nav";
import { useSession } from "../session";
import { StatusPage } from "./StatusPage";

export function guarded(screen: Screen, Page: Component<RouteSectionProps>): Component<RouteSectionProps> {
  return (props) => {
    const session = useSession();
    return (
      <Show when={mayOpen(screen, session())} fallback={<div class="page"><StatusPage kind="forbidden" heading="h1" /></div>}>
        <Page {...props} />
      </Show>
    );
  };
}

/**
 * A route preload that runs only for people allowed on the screen. The router's `params` and `location` are live
 * views of the current route, so they are copied now: the session is checked after a tick, when a hover's preload
 * would otherwise read the page it was hovered from.
 */
export function guardedPreload<A extends { params: object; location: { query: object } }>(screen: Screen, preload: (args: A) => void): (args: A) => void {
  return (args) => {
    const snapshot = { ...args, params: { ...args.params }, location: { ...args.location, query: { ...args.location.query } } };
    void getSession()
      .then((s) => s && mayOpen(screen, s) && preload(snapshot))
      .catch(() => undefined);
  };
}
