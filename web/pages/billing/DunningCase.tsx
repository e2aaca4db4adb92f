/**
 * One organization's dunning case (Billing & Reports >> Customer Billing >> Dunning): its phase, the amount
 * overdue, the timeline with its real past and scheduled dates, and, for staff with billing.write, "Pause
 * until…" (a promise to pay), "Exempt" and "Resume", each confirmed and audited (docs/decisions/018-dunning.md), and the
 * customer's request for more time with "Approve" and "Decline" (DunningExtension.tsx).
 */
import { For, Show, createSignal } from "solid-js";
import { createAsync, useParams } from "@solidjs/router";
import { PauseDunningInput, type DunningCaseSchema } from "../../../worker/contract/dunning";
import { ExtensionSection } from "./DunningExtension";
import { hasPrivilege } from "../../../worker/contract/roles";
import type { z } from "zod";
import { getDunningCase, pauseDunning, resumeDunning } from "../../api/dunning";
import { AsyncView } from "../../components/AsyncView";
import { Badge } from "../../components/Badge";
import { ConfirmDialog } from "../../components/Dialog";
import { Field, describedBy } from "../../components/Field";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { ReasonDialog } from "../../components/ReasonDialog";
import { DASH } from "../../format";
import { useDialogForm } from "../../forms";
import { menuPath } from "../../nav";
import { useSession } from "../../session";
import { zodFieldErrors } from "../../validation";
import { overdue, phaseLabel, phaseTone, when } from "./dunning-format";

type Case = z.infer<typeof DunningCaseSchema>;
const STATUS_LABELS = { past: "Done", current: "Now", scheduled: "Scheduled" } as const;

export default function DunningCase() {
  const session = useSession();
  const params = useParams();
  const data = createAsync(() => getDunningCase(params.orgId ?? ""));
  const [notice, setNotice] = createSignal("");
  const trail = () => [...menuPath(session(), "/billing/dunning"), { label: data()?.orgName ?? "Case" }];

  return (
    <div class="page">
      <PageHeader title={data() ? `Dunning: ${data()!.orgName}` : "Dunning"} trail={trail()} />
      <Show when={notice()}><SuccessNotice>{notice()}</SuccessNotice></Show>
      <AsyncView data={data} loading="Loading the dunning case…">
        {(c) => <CaseView case={c()} canAct={hasPrivilege(session().user, "billing.write")} onDone={setNotice} />}
      </AsyncView>
    </div>
  );
}

function CaseView(props: { case: Case; canAct: boolean; onDone: (message: string) => void }) {
  const [dialog, setDialog] = createSignal<"pause" | "exempt" | "resume" | null>(null);
  const open = () => props.case.state !== "current" && props.case.state !== "terminated";
  const paused = () => props.case.pauseReason !== null;
  return (
    <>
      <dl class="details">
        <dt>Phase</dt>
        <dd><Badge tone={phaseTone(props.case.state)}>{phaseLabel(props.case.state)}</Badge></dd>
        <dt>Since</dt>
        <dd>{open() ? when(props.case.since) : DASH}</dd>
        <dt>Amount overdue</dt>
        <dd>{overdue(props.case.amountOverdueMinor, props.case.currency)}</dd>
        <dt>Next step</dt>
        <dd>{paused() || !props.case.nextState ? DASH : `${phaseLabel(props.case.nextState)} on ${when(props.case.nextAt)}`}</dd>
        <Show when={paused()}>
          <dt>{props.case.pausedUntil === null ? "Exempt" : "Paused"}</dt>
          <dd>{props.case.pausedUntil === null ? "Until resumed" : `Until ${when(props.case.pausedUntil)}`}: {props.case.pauseReason}</dd>
        </Show>
      </dl>
      <Show when={!open()}>
        <p>{props.case.state === "terminated" ? "This organization's resources were terminated; the case is closed." : "This organization is not in dunning."}</p>
      </Show>
      <Show when={props.canAct && open()}>
        <div class="toolbar">
          <Show when={!paused()} fallback={<button type="button" class="btn btn-primary" onClick={() => setDialog("resume")}>Resume</button>}>
            <button type="button" class="btn" onClick={() => setDialog("pause")}>Pause until…</button>
            <button type="button" class="btn" onClick={() => setDialog("exempt")}>Exempt</button>
          </Show>
        </div>
      </Show>
      <ExtensionSection case={props.case} canAct={props.canAct && open()} onDone={props.onDone} />
      <Timeline case={props.case} />
      <Show when={props.canAct}>
        <PauseDialog case={props.case} mode={dialog() === "pause" || dialog() === "exempt" ? dialog() as "pause" | "exempt" : null} onClose={() => setDialog(null)}
          onDone={(m) => { setDialog(null); props.onDone(m); }} />
        <ResumeDialog case={props.case} open={dialog() === "resume"} onClose={() => setDialog(null)} onDone={(m) => { setDialog(null); props.onDone(m); }} />
      </Show>
    </>
  );
}

function Timeline(props: { case: Case }) {
  return (
    <section aria-labelledby="dunning-timeline">
      <h2 id="dunning-timeline">Timeline</h2>
      <Show when={props.case.timeline.length > 0} fallback={<p class="empty-state">No dates: the organization has no open dunning case.</p>}>
        <ol class="timeline">
          <For each={props.case.timeline}>
            {(t) => (
              <li class={`timeline-${t.status}`} aria-current={t.status === "current" ? "step" : undefined}>
                <strong>{phaseLabel(t.state)}</strong> <span class="nowrap">{when(t.at)}</span> <span class="muted">({STATUS_LABELS[t.status]})</span>
              </li>
            )}
          </For>
        </ol>
        <Show when={props.case.pauseReason !== null}><p class="muted">While the case is paused its scheduled dates move by the time paused.</p></Show>
      </Show>
    </section>
  );
}

function PauseDialog(props: { case: Case; mode: "pause" | "exempt" | null; onClose: () => void; onDone: (message: string) => void }) {
  const form = useDialogForm(pauseDunning, () => props.onClose());
  const err = (f: string) => form.fieldError(f);

  async function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const data = form.data();
    const input = { until: props.mode === "pause" ? String(data.get("until") ?? "") : null, reason: String(data.get("reason") ?? "") };
    const local = zodFieldErrors(PauseDunningInput, input);
    if (local) return form.refuse(local);
    if (await form.send(props.case.orgId, input)) {
      props.onDone(input.until ? `Dunning of ${props.case.orgName} is paused until ${when(Date.parse(`${input.until}T00:00:00Z`))}.` : `${props.case.orgName} is exempt from dunning until resumed.`);
    }
  }

  return (
    <ReasonDialog open={props.mode !== null} title={props.mode === "exempt" ? `Exempt ${props.case.orgName} from dunning?` : `Pause dunning of ${props.case.orgName}?`}
      confirmLabel={props.mode === "exempt" ? "Exempt" : "Pause"} cancelLabel="Keep dunning" form={form} formId="dunning-pause-form" reasonId="dunning-reason"
      refused="The case was not changed." onSubmit={onSubmit}
      fields={
        <Show when={props.mode === "pause"}>
          <Field id="dunning-until" label="Pause until" error={err("until")}>
            <input id="dunning-until" name="until" type="date" aria-invalid={err("until") ? true : undefined} aria-describedby={describedBy("dunning-until", err("until"))} />
          </Field>
        </Show>
      }>
      <p>{props.mode === "exempt" ? "No step of the process runs until someone resumes it." : "No step of the process runs until that day; the schedule moves by the time paused."}</p>
    </ReasonDialog>
  );
}

function ResumeDialog(props: { case: Case; open: boolean; onClose: () => void; onDone: (message: string) => void }) {
  const form = useDialogForm(resumeDunning, () => props.onClose());
  async function confirm() {
    if (await form.send(props.case.orgId)) props.onDone(`Dunning of ${props.case.orgName} resumed.`);
  }
  return (
    <ConfirmDialog open={props.open} title={`Resume dunning of ${props.case.orgName}?`} confirmLabel="Resume" cancelLabel="Keep paused" pending={form.pending()}
      onCancel={form.close} onConfirm={() => void confirm()}>
      <p>The process continues; its scheduled dates have moved by the time it was paused.</p>
      <Show when={form.error()}><ErrorNotice error={form.error()} title="The case was not resumed." /></Show>
    </ConfirmDialog>
  );
}
