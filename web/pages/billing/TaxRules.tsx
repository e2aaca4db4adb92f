import { For, Show, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import type { TaxRule } from "../../../worker/contract/billing";
import { hasPrivilege } from "../../../worker/contract/roles";
import { deleteTaxRule, getTaxRules, saveTaxRule } from "../../api/billing";
import { useFormAction } from "../../forms";
import { StatusBadge } from "../../components/Badge";
import { DataTable } from "../../components/DataTable";
import { ConfirmDialog } from "../../components/Dialog";
import { Drawer } from "../../components/Drawer";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { ErrorNotice } from "../../components/Notices";
import { ListHeader } from "../../components/ListHeader";
import { countryOptions } from "../../../worker/contract/countries";
import { Icon } from "../../components/Icon";
import { countryName, formatDate } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";

interface Form {
  name: string;
  country: string;
  ratePercent: string;
  status: "active" | "suspended";
  effectiveFrom: string;
  removeScheduled: boolean;
}

const today = () => new Date().toISOString().slice(0, 10);

/** "10 % from 1 Jan 2027; 12 % from 1 Jul 2027". */
const pendingText = (pending: TaxRule["pending"]) => pending.map((p) => `${p.ratePercent} % from ${formatDate(p.effectiveFrom)}`).join("; ");

/** The Tax Rule listing page: "Create Rule" in the header, "Edit" and "Delete" icons per rule. */
export default function TaxRules() {
  const session = useSession();
  const rules = createAsync(() => getTaxRules());
  const canWrite = () => hasPrivilege(session().user, "billing.write");
  const [editing, setEditing] = createSignal<TaxRule | "new" | null>(null);
  const [deleting, setDeleting] = createSignal<TaxRule | null>(null);
  const [notice, setNotice] = createSignal("");
  const remove = useFormAction(deleteTaxRule);
  const trail = () => [...menuPath(session(), "/billing/configurations"), { label: "Tax Rule" }];

  async function confirmDelete() {
    const rule = deleting();
    if (!rule) return;
    const done = await remove.submit(rule.id);
    if (done) setNotice(`Tax rule "${rule.name}" deleted. Issued invoices keep the tax they were issued with.`);
    setDeleting(null);
  }

  return (
    <div class="page">
      <ListHeader title="Tax Rule" trail={trail()} canCreate={canWrite()} createLabel="Create Rule" onCreate={() => setEditing("new")} notice={notice()} />
      <Show when={remove.error()}>
        <ErrorNotice error={remove.error()} title="That did not work." />
      </Show>
      <DataTable
        id="tax"
        caption="Tax rules"
        data={rules}
        empty="There are no tax rules yet. Invoices are issued without tax until you create one."
        rowActionsClass="nowrap"
        showRowActions={canWrite}
        rowActions={(rule) => (
          <>
            <button type="button" class="btn btn-small btn-icon" aria-label={`Edit ${rule.name}`} title="Edit" onClick={() => setEditing(rule)}>
              <Icon name="edit" />
            </button>{" "}
            <button type="button" class="btn btn-small btn-icon" aria-label={`Delete ${rule.name}`} title="Delete" onClick={() => setDeleting(rule)}>
              <Icon name="delete" />
            </button>
          </>
        )}
        columns={[
          { header: "Rule Name", rowHeader: true, cell: (rule) => rule.name },
          { header: "Country", cell: (rule) => `${countryName(rule.country)} (${rule.country})` },
          { header: "Tax Rate %", num: true, cell: (rule) => rule.ratePercent },
          { header: "Scheduled change", cell: (rule) => (rule.pending.length ? pendingText(rule.pending) : "—") },
          { header: "Status", cell: (rule) => <StatusBadge status={rule.status === "active" ? "active" : "suspended"} /> },
        ]}
      />
      <RuleDrawer rule={editing()} onClose={() => setEditing(null)} onSaved={(msg) => { setNotice(msg); setEditing(null); }} />
      <ConfirmDialog open={deleting() !== null} title="Delete tax rule?" confirmLabel="Confirm" pending={remove.pending()} onConfirm={() => void confirmDelete()} onCancel={() => setDeleting(null)}>
        <p>
          "{deleting()?.name}" will stop applying to new invoices. Invoices already issued keep the tax they were issued with.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function RuleDrawer(props: { rule: TaxRule | "new" | null; onClose: () => void; onSaved: (message: string) => void }) {
  const blank = (): Form => ({ name: "", country: "", ratePercent: "", status: "active", effectiveFrom: today(), removeScheduled: false });
  const [form, setForm] = createSignal<Form>(blank());
  const act = useFormAction(saveTaxRule);
  const fields = act.errors;
  const error = act.error;
  let lastRule: TaxRule | "new" | null = null;
  const open = () => {
    const r = props.rule;
    if (r !== lastRule) {
      lastRule = r;
      act.reset();
      setForm(r && r !== "new" ? { name: r.name, country: r.country, ratePercent: r.ratePercent, status: r.status, effectiveFrom: today(), removeScheduled: false } : blank());
    }
    return r !== null;
  };
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm({ ...form(), [k]: v });
  const isEdit = () => props.rule !== null && props.rule !== "new";
  const scheduled = () => (props.rule && props.rule !== "new" ? props.rule.pending : []);

  async function save(e: Event) {
    e.preventDefault();
    if (act.pending()) return;
    const f = form();
    const errs: Record<string, string> = {};
    if (!f.name.trim()) errs.name = "Enter a rule name.";
    if (!f.country) errs.country = "Choose a country.";
    if (!/^\d{1,3}(\.\d{1,4})?$/.test(f.ratePercent.trim()) || Number(f.ratePercent) > 100) errs.ratePercent = "Enter a rate from 0 to 100 with at most 4 decimals.";
    if (f.effectiveFrom && f.effectiveFrom < today()) errs.effectiveFrom = "A rate cannot take effect in the past.";
    if (!act.check(errs)) return;
    const input = { name: f.name.trim(), country: f.country, ratePercent: f.ratePercent.trim(), status: f.status, ...(f.effectiveFrom ? { effectiveFrom: f.effectiveFrom } : {}) };
    const r = props.rule;
    const saved = r && r !== "new" ? await act.submit(r.id, { ...input, removeScheduled: f.removeScheduled }) : await act.submit(null, input);
    if (saved) props.onSaved(`Tax rule "${input.name}" saved.`);
  }

  return (
    <Drawer open={open()} title={isEdit() ? "Edit Tax Rule" : "Create Tax Rule"} onClose={props.onClose}
      footer={<>
        <button type="button" class="btn" onClick={props.onClose}>Cancel</button>
        <button type="submit" form="tax-rule-form" class="btn btn-primary" aria-disabled={act.pending()}>Save</button>
      </>}>
      <Show when={error() && !Object.keys(fields()).length}>
        <ErrorNotice error={error()} title="The rule was not saved." />
      </Show>
      <form id="tax-rule-form" novalidate onSubmit={save}>
        <div class="field">
          <label for="rule-name">Rule Name</label>
          <input id="rule-name" type="text" value={form().name} aria-describedby={errorIdFor("name", fields().name)} onInput={(e) => set("name", e.currentTarget.value)} />
          <FieldError for="name" message={fields().name} />
        </div>
        <div class="field">
          <label for="rule-country">Country</label>
          <select id="rule-country" value={form().country} aria-describedby={errorIdFor("country", fields().country)} onChange={(e) => set("country", e.currentTarget.value)}>
            <option value="">Choose a country</option>
            <For each={countryOptions()}>{(o) => <option value={o.code}>{o.name}</option>}</For>
          </select>
          <FieldError for="country" message={fields().country} />
        </div>
        <div class="field">
          <label for="rule-rate">{isEdit() ? "Tax Rate % (in force today)" : "Tax Rate %"}</label>
          <input id="rule-rate" type="text" inputmode="decimal" value={form().ratePercent} aria-describedby={errorIdFor("ratePercent", fields().ratePercent)} onInput={(e) => set("ratePercent", e.currentTarget.value)} />
          <FieldError for="ratePercent" message={fields().ratePercent} />
        </div>
        <div class="field">
          <label for="rule-from">Rate effective from</label>
          <input id="rule-from" type="date" min={today()} value={form().effectiveFrom} aria-describedby={`rule-from-hint ${errorIdFor("effectiveFrom", fields().effectiveFrom) ?? ""}`.trim()} onInput={(e) => set("effectiveFrom", e.currentTarget.value)} />
          <p id="rule-from-hint" class="muted">A new rate applies to invoices issued from this date; issued invoices never change.</p>
          <FieldError for="effectiveFrom" message={fields().effectiveFrom} />
        </div>
        <Show when={scheduled().length > 0}>
          <div class="field pending-change" role="group" aria-labelledby="rule-pending-title">
            <p id="rule-pending-title" class="field-label">Scheduled change</p>
            <p id="rule-pending" classList={{ "is-removed": form().removeScheduled }}>{pendingText(scheduled())}</p>
            <p class="muted">Kept when you save, whatever else you change here.</p>
            <div class="check">
              <input id="rule-remove-pending" type="checkbox" checked={form().removeScheduled} aria-describedby="rule-pending" onChange={(e) => set("removeScheduled", e.currentTarget.checked)} />
              <label for="rule-remove-pending">Remove the scheduled change</label>
            </div>
          </div>
        </Show>
        <fieldset class="fieldset">
          <legend>Status</legend>
          <div class="check">
            <input id="rule-active" type="radio" name="rule-status" checked={form().status === "active"} onChange={() => set("status", "active")} />
            <label for="rule-active">Active</label>
          </div>
          <div class="check">
            <input id="rule-suspend" type="radio" name="rule-status" checked={form().status === "suspended"} onChange={() => set("status", "suspended")} />
            <label for="rule-suspend">Suspend</label>
          </div>
        </fieldset>
      </form>
    </Drawer>
  );
}
