/**
 * Development clock (Cloud-Admin, only where the Worker runs with DEV_CLOCK=true; docs/decisions/018a-…): the
 * application's time, "Move forward" by days, "Run dunning sweep" (every case whose step is due moves on now) and
 * "Back to real time", so a person can watch an organization walk Grace → Warning → Suspension → Delete
 * Notification → Termination in a few minutes.
 */
import { Show, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import { formatDateTime } from "../../../worker/contract/format";
import { advanceDevClock, getDevClock, resetDevClock, runDunningSweep } from "../../api/dev-clock";
import { AsyncView } from "../../components/AsyncView";
import { offsetLabel } from "../../components/DevClock";
import { Field, describedBy } from "../../components/Field";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { useFormAction } from "../../forms";

export default function DevClockPage() {
  const clock = createAsync(() => getDevClock());
  const [notice, setNotice] = createSignal("");
  return (
    <div class="page">
      <PageHeader title="Development clock" trail={[{ label: "Development" }, { label: "Development clock" }]} />
      <Show when={notice()}><SuccessNotice>{notice()}</SuccessNotice></Show>
      <AsyncView data={clock} loading="Loading the clock…">
        {(c) => (
          <Show when={c().enabled} fallback={<p>The development clock is off: start the Worker with DEV_CLOCK=true (npm start does). Production always runs on real time.</p>}>
            <dl class="details">
              <dt>Application time</dt>
              <dd>{formatDateTime(c().now, { timeZone: "UTC" })} UTC</dd>
              <dt>Moved</dt>
              <dd>{offsetLabel(c().offsetMs)}</dd>
            </dl>
            <Controls onDone={setNotice} />
          </Show>
        )}
      </AsyncView>
    </div>
  );
}

function Controls(props: { onDone: (message: string) => void }) {
  const move = useFormAction(advanceDevClock);
  const sweep = useFormAction(runDunningSweep);
  const reset = useFormAction(resetDevClock);
  let formEl!: HTMLFormElement;
  const err = () => move.fieldError("days");

  async function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const raw = String(new FormData(formEl).get("days") ?? "").trim();
    const days = Number(raw);
    if (!raw || !Number.isInteger(days) || days < 1 || days > 60) return void move.check({ days: "Enter whole days from 1 to 60." });
    if (await move.submit(days)) props.onDone(`The clock moved forward ${days} ${days === 1 ? "day" : "days"}. Run the dunning sweep to let the cases catch up.`);
  }
  async function onSweep() {
    const r = (await sweep.submit()) as { entered: number; woken: number } | undefined;
    if (r) props.onDone(`Dunning sweep: ${r.entered} entered dunning, ${r.woken} cases moved on.`);
  }
  async function onReset() {
    if (await reset.submit()) props.onDone("The clock is back on real time.");
  }

  return (
    <>
      <form ref={formEl} novalidate onSubmit={onSubmit}>
        <Show when={move.error() && !err()}><ErrorNotice error={move.error()} title="The clock did not move." /></Show>
        <Field id="dev-clock-days" label="Days" error={err()}>
          <input id="dev-clock-days" name="days" type="number" min="1" max="60" step="1" inputmode="numeric" value="7" aria-invalid={err() ? true : undefined} aria-describedby={describedBy("dev-clock-days", err())} />
        </Field>
        <button type="submit" class="btn btn-primary" disabled={move.pending()}>Move forward</button>
      </form>
      <div class="toolbar">
        <button type="button" class="btn" disabled={sweep.pending()} onClick={() => void onSweep()}>Run dunning sweep</button>
        <button type="button" class="btn" disabled={reset.pending()} onClick={() => void onReset()}>Back to real time</button>
      </div>
      <Show when={sweep.error()}><ErrorNotice error={sweep.error()} title="The sweep did not run." /></Show>
      <Show when={reset.error()}><ErrorNotice error={reset.error()} title="The clock was not reset." /></Show>
    </>
  );
}
