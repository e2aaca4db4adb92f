import { For, Index, Show, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import { RESOURCE_STATUSES, RESOURCE_TYPES, SubscriptionInput, type Subscription } from "../../../worker/contract/catalogue";
import { getContracts } from "../../api/catalogue";
import { ApiError } from "../../api/client";
import { saveSubscription } from "../../api/subscriptions";
import { ConfirmDialog } from "../../components/Dialog";
import { FormDrawer } from "../../components/FormDrawer";
import { Field, TextField, describedBy } from "../../components/Field";
import { ErrorNotice } from "../../components/Notices";
import { OrgPicker } from "../../components/OrgPicker";
import { INTERVAL_LABELS, formatDate, titleCase } from "../../format";
import { useFormAction } from "../../forms";
import { zodFieldErrors } from "../../validation";

export const RESOURCE_TYPE_LABELS: Record<(typeof RESOURCE_TYPES)[number], string> = {
  virtual_machine: "Virtual machine",
  volume: "Volume",
  ip_address: "IP address",
  object_storage: "Object storage",
  kubernetes_cluster: "Kubernetes cluster",
};

interface ResourceDraft {
  id?: string;
  type: string;
  name: string;
  region: string;
  status: string;
}

/** Create or edit a Resource Subscription. Once invoiced, cycle, anchor, model and contract are shown locked. */
export function SubscriptionDrawer(props: { open: boolean; editing: Subscription | null; presetOrgId?: string; onClose: () => void; onSaved: (s: Subscription, created: boolean) => void }) {
  const form = useFormAction(saveSubscription);
  const current = () => props.editing;
  const locked = () => Boolean(current()?.billedThrough);
  const [orgId, setOrgId] = createSignal(props.presetOrgId ?? current()?.org.id ?? "");
  const contracts = createAsync(async () => {
    const org = current()?.org.id ?? orgId();
    return org ? (await getContracts({ orgId: org, status: undefined, page: 1, pageSize: 100 })).items : [];
  });
  const [resources, setResources] = createSignal<ResourceDraft[]>(current()?.resources.map((r) => ({ ...r })) ?? []);
  let formEl!: HTMLFormElement;
  const err = (f: string) => form.fieldError(f);
  const update = (i: number, patch: Partial<ResourceDraft>) => setResources((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)));

  async function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(formEl);
    const status = String(data.get("status") ?? "");
    const input = {
      contractId: String(data.get("contractId") ?? ""),
      name: String(data.get("name") ?? ""),
      model: String(data.get("model") ?? ""),
      billingInterval: String(data.get("billingInterval") ?? ""),
      anchorDate: String(data.get("anchorDate") ?? ""),
      status,
      trialEndsAt: String(data.get("trialEndsAt") ?? "") || null,
      resources: resources().map((r) => ({ ...(r.id ? { id: r.id } : {}), type: r.type, name: r.name, region: r.region, status: r.status })),
    } as SubscriptionInput;
    let local = zodFieldErrors(SubscriptionInput, input);
    if (!current() && !props.presetOrgId && !orgId()) {
      local = new ApiError(400, "VALIDATION_FAILED", "Some fields are invalid.", "", { ...(local?.fields ?? {}), orgId: "Choose an organization." });
    }
    if (local) return form.refuse(local);
    const ending = endingChanges(input);
    if (ending.length) {
      form.reset();
      setConfirming({ input, ending });
      return;
    }
    await save(input);
  }

  /** What this save ends for good: the subscription itself, or resources moved to Terminated. */
  function endingChanges(input: SubscriptionInput): string[] {
    const out: string[] = [];
    const before = current();
    const final = ["cancelled", "terminated"];
    if (final.includes(input.status) && before?.status !== input.status) out.push(`the subscription becomes ${input.status}`);
    for (const r of input.resources ?? []) {
      const old = r.id ? before?.resources.find((x) => x.id === r.id) : undefined;
      if (r.status === "terminated" && old?.status !== "terminated") out.push(`${r.name || "a new resource"} is terminated`);
    }
    return out;
  }

  async function save(input: SubscriptionInput) {
    const saved = await form.submit(current()?.id ?? null, input);
    setConfirming(null);
    if (saved) props.onSaved(saved as Subscription, !current());
  }
  const [confirming, setConfirming] = createSignal<null | { input: SubscriptionInput; ending: string[] }>(null);

  const lockHint = () => (locked() ? `Invoiced through ${current()!.billedThrough}: locked.` : undefined);
  return (
    <FormDrawer open={props.open} title={current() ? `Edit ${current()!.name}` : "Create Resource Subscription"} formId="subscription-form" submitLabel={current() ? "Save" : "Create"} pending={form.pending()} onClose={() => { form.reset(); props.onClose(); }}>
      <form id="subscription-form" ref={formEl} novalidate onSubmit={onSubmit}>
        <Show when={form.error()}><ErrorNotice error={form.error()} title="The subscription was not saved." /></Show>
        <Show when={locked()}>
          <p class="banner banner-info">This subscription has been invoiced through {current()!.billedThrough}. Its billing cycle, anchor date, model and contract can no longer change; to bill differently, end it and create a new subscription.</p>
        </Show>
        <Show when={!current() && !props.presetOrgId}>
          <OrgPicker id="sub-org" label="Organization" value={orgId()} onChange={setOrgId} error={err("orgId")} />
        </Show>
        <Field id="sub-contract" label="Contract" error={err("contractId")} hint={lockHint()}>
          <select id="sub-contract" name="contractId" value={current()?.contract.id ?? ""} disabled={locked()} aria-invalid={err("contractId") ? true : undefined} aria-describedby={describedBy("sub-contract", err("contractId"), Boolean(lockHint()))}>
            <option value="">{orgId() || current() ? "Choose…" : "Choose an organization first"}</option>
            <For each={contracts() ?? []}>{(c) => <option value={c.id} selected={c.id === current()?.contract.id} disabled={c.status !== "active" && c.id !== current()?.contract.id}>{c.plan.name} — from {formatDate(c.startDate)}{c.expiryDate ? ` to ${formatDate(c.expiryDate)}` : ""}{c.status !== "active" ? ` (${c.status})` : ""}</option>}</For>
          </select>
          <Show when={locked()}><input type="hidden" name="contractId" value={current()!.contract.id} /></Show>
        </Field>
        <Field id="sub-name" label="Name" error={err("name")}>
          <input id="sub-name" name="name" value={current()?.name ?? ""} maxlength="120" aria-invalid={err("name") ? true : undefined} aria-describedby={describedBy("sub-name", err("name"))} />
        </Field>
        <Field id="sub-model" label="Model" error={err("model")}>
          <select id="sub-model" name="model" value={current()?.model ?? "fixed"} disabled={locked()}>
            <option value="fixed">Fixed recurring fee</option>
            <option value="payg">Pay-as-you-go</option>
          </select>
          <Show when={locked()}><input type="hidden" name="model" value={current()!.model} /></Show>
        </Field>
        <Field id="sub-cycle" label="Billing cycle" error={err("billingInterval")} hint={lockHint()}>
          <select id="sub-cycle" name="billingInterval" value={current()?.billingInterval ?? "month"} disabled={locked()} aria-invalid={err("billingInterval") ? true : undefined} aria-describedby={describedBy("sub-cycle", err("billingInterval"), Boolean(lockHint()))}>
            <For each={["month", "quarter", "year"] as const}>{(i) => <option value={i}>{INTERVAL_LABELS[i]}</option>}</For>
          </select>
          <Show when={locked()}><input type="hidden" name="billingInterval" value={current()!.billingInterval} /></Show>
        </Field>
        <Field id="sub-anchor" label="Anchor date" error={err("anchorDate")} hint={lockHint() ?? "Billing periods start on this date and repeat every cycle."}>
          <input id="sub-anchor" name="anchorDate" type="date" value={current()?.anchorDate ?? new Date().toISOString().slice(0, 10)} readOnly={locked()} aria-invalid={err("anchorDate") ? true : undefined} aria-describedby={describedBy("sub-anchor", err("anchorDate"), true)} />
        </Field>
        <Field id="sub-status" label="Status" error={err("status")}>
          <select id="sub-status" name="status" value={current()?.status ?? "live"}>
            <For each={["trial", "live", "suspended", "cancelled", "terminated"]}>{(s) => <option value={s}>{titleCase(s)}</option>}</For>
          </select>
        </Field>
        <Field id="sub-trial" label="Trial until (free before this date)" error={err("trialEndsAt")}>
          <input id="sub-trial" name="trialEndsAt" type="date" value={current()?.trialEndsAt ?? ""} aria-invalid={err("trialEndsAt") ? true : undefined} aria-describedby={describedBy("sub-trial", err("trialEndsAt"))} />
        </Field>
        <fieldset class="fieldset">
          <legend>Resources</legend>
          <Show when={resources().length === 0}><p class="muted">No resources attached.</p></Show>
          <Index each={resources()}>
            {(r, i) => (
              <div class="resource-row" role="group" aria-label={`Resource ${i + 1}`}>
                <TextField id={`res-name-${i}`} label="Name" value={r().name} onInput={(name) => update(i, { name })} error={err(`resources.${i}.name`)} />
                <div class="field">
                  <label for={`res-type-${i}`}>Type</label>
                  <select id={`res-type-${i}`} value={r().type} onChange={(e) => update(i, { type: e.currentTarget.value })}>
                    <For each={RESOURCE_TYPES}>{(t) => <option value={t}>{RESOURCE_TYPE_LABELS[t]}</option>}</For>
                  </select>
                </div>
                <TextField id={`res-region-${i}`} label="Region" value={r().region} onInput={(region) => update(i, { region })} error={err(`resources.${i}.region`)} />
                <div class="field">
                  <label for={`res-status-${i}`}>Status</label>
                  <select id={`res-status-${i}`} value={r().status} onChange={(e) => update(i, { status: e.currentTarget.value })}>
                    <For each={RESOURCE_STATUSES}>{(s) => <option value={s}>{titleCase(s)}</option>}</For>
                  </select>
                </div>
                <Show when={!r().id} fallback={<span />}>
                  <button type="button" class="btn btn-small" aria-label={`Remove resource ${i + 1}`} onClick={() => setResources((rs) => rs.filter((_, k) => k !== i))}>Remove</button>
                </Show>
              </div>
            )}
          </Index>
          <p class="muted">Attached resources are never deleted (invoices refer to them): set them to Terminated.</p>
          <div>
            <button type="button" class="btn" onClick={() => { setResources((rs) => [...rs, { type: "virtual_machine", name: "", region: "", status: "provisioning" }]); setTimeout(() => document.getElementById(`res-name-${resources().length - 1}`)?.focus()); }}>Add Resource</button>
          </div>
        </fieldset>
      </form>
      <ConfirmDialog
        open={confirming() !== null}
        title="End service?"
        confirmLabel="Save"
        pending={form.pending()}
        onConfirm={() => void save(confirming()!.input)}
        onCancel={() => setConfirming(null)}
      >
        <p>When you save, {confirming()?.ending.join(" and ")}. Invoices already issued are not changed.</p>
      </ConfirmDialog>
    </FormDrawer>
  );
}
