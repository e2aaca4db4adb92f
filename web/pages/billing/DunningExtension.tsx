/**
 * The customer's request for more time on the Dunning case page (docs/decisions/018a-dunning-extensions-and-dev-clock.md):
 * days, reason, when and how it was decided; staff with "Manage billing" approve it (the case pauses until the day
 * asked for) or decline it with a reason the customer is told, each confirmed and audited.
 */
import { Show, createSignal } from "solid-js";
import { DeclineExtensionInput, type DunningCaseSchema } from "../../../worker/contract/dunning";
import { formatDateTime } from "../../../worker/contract/format";
import type { z } from "zod";
import { approveExtension, declineExtension } from "../../api/dunning";
import { Badge } from "../../components/Badge";
import { ConfirmDialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/Notices";
import { ReasonDialog } from "../../components/ReasonDialog";
import { useDialogForm } from "../../forms";
import { zodFieldErrors } from "../../validation";
import { when } from "./dunning-format";

type Case = z.infer<typeof DunningCaseSchema>;
const STATUS = { open: ["Waiting for a decision", "warn"], approved: ["Approved", "good"], declined: ["Declined", "bad"], lapsed: ["Lapsed", "neutral"] } as const;

export function ExtensionSection(props: { case: Case; canAct: boolean; onDone: (message: string) => void }) {
  const [dialog, setDialog] = createSignal<"approve" | "decline" | null>(null);
  return (
    <Show when={props.case.extension}>
      {(x) => (
        <section aria-labelledby="dunning-extension">
          <h2 id="dunning-extension">Request for more time</h2>
          <dl class="details">
            <dt>Status</dt>
            <dd><Badge tone={STATUS[x().status][1]}>{STATUS[x().status][0]}</Badge></dd>
            <dt>Days asked for</dt>
            <dd>{x().days}</dd>
            <dt>Reason</dt>
            <dd>{x().reason}</dd>
            <dt>Asked on</dt>
            <dd>{formatDateTime(x().requestedAt)}</dd>
            <Show when={x().status === "approved"}><dt>Paused until</dt><dd>{when(x().until)}</dd></Show>
            <Show when={x().status === "declined"}><dt>Declined because</dt><dd>{x().decisionNote}</dd></Show>
          </dl>
          <Show when={props.canAct && x().status === "open"}>
            <div class="toolbar">
              <button type="button" class="btn btn-primary" onClick={() => setDialog("approve")}>Approve</button>
              <button type="button" class="btn" onClick={() => setDialog("decline")}>Decline</button>
            </div>
            <ApproveDialog case={props.case} days={x().days} open={dialog() === "approve"} onClose={() => setDialog(null)} onDone={(m) => { setDialog(null); props.onDone(m); }} />
            <DeclineDialog case={props.case} open={dialog() === "decline"} onClose={() => setDialog(null)} onDone={(m) => { setDialog(null); props.onDone(m); }} />
          </Show>
        </section>
      )}
    </Show>
  );
}

function ApproveDialog(props: { case: Case; days: number; open: boolean; onClose: () => void; onDone: (message: string) => void }) {
  const form = useDialogForm(approveExtension, () => props.onClose());
  async function confirm() {
    const saved = await form.send(props.case.orgId);
    if (saved) {
      props.onDone(`More time approved: dunning of ${props.case.orgName} is paused until ${when(saved.pausedUntil)}.`);
    }
  }
  return (
    <ConfirmDialog open={props.open} title={`Approve ${props.days} more days for ${props.case.orgName}?`} confirmLabel="Approve" cancelLabel="Cancel" pending={form.pending()}
      onCancel={form.close} onConfirm={() => void confirm()}>
      <p>No step of the process runs for {props.days} days (until the start of the day {props.days} days from today, UTC); the customer is told by email.</p>
      <Show when={form.error()}><ErrorNotice error={form.error()} title="The request was not approved." /></Show>
    </ConfirmDialog>
  );
}

function DeclineDialog(props: { case: Case; open: boolean; onClose: () => void; onDone: (message: string) => void }) {
  const form = useDialogForm(declineExtension, () => props.onClose());
  async function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const input = { reason: String(form.data().get("reason") ?? "") };
    const local = zodFieldErrors(DeclineExtensionInput, input);
    if (local) return form.refuse(local);
    if (await form.send(props.case.orgId, input)) props.onDone(`The request of ${props.case.orgName} for more time was declined.`);
  }
  return (
    <ReasonDialog open={props.open} title={`Decline the request of ${props.case.orgName}?`} confirmLabel="Decline" cancelLabel="Cancel"
      form={form} reasonId="extension-decline-reason" refused="The request was not declined." onSubmit={onSubmit}>
      <p>The process runs on; the customer is told why by email.</p>
    </ReasonDialog>
  );
}
