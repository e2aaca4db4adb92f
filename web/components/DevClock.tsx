/**
 * The development clock in the header (docs/decisions/018a-dunning-extensions-and-dev-clock.md): shown only when
 * the Worker runs with DEV_CLOCK=true, with the application's time once it has been moved; a Cloud-Admin gets a
 * link to the control (Development clock screen).
 */
import { Show } from "solid-js";
import { createAsync } from "@solidjs/router";
import { formatDateTime } from "../../worker/contract/format";
import { getDevClock } from "../api/dev-clock";

const DAY = 86_400_000;

export const offsetLabel = (ms: number) => {
  const days = Math.round((ms / DAY) * 10) / 10;
  return ms === 0 ? "real time" : `${days > 0 ? "+" : ""}${days} ${Math.abs(days) === 1 ? "day" : "days"}`;
};

export function DevClockBar(props: { admin: boolean }) {
  const clock = createAsync(() => getDevClock().catch(() => undefined));
  return (
    <Show when={clock()?.enabled && (clock()!.offsetMs !== 0 || props.admin) ? clock() : undefined}>
      {(c) => (
        <div class="banner banner-info dev-clock-bar" role="status" aria-label="Development clock">
          <p>Development clock: {formatDateTime(c().now, { timeZone: "UTC" })} UTC ({offsetLabel(c().offsetMs)})</p>
          <Show when={props.admin}><a href="/dev/clock">Move the clock</a></Show>
        </div>
      )}
    </Show>
  );
}
