import { For, Show, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import type { TaxRule } from "../../../worker/contract/billing";
import { hasPrivilege } from "../../../worker/contract/roles";
import { createTaxRule, deleteTaxRule, getTaxRules, updateTaxRule } from "../../api/billing";
import { isApiError } from "../../api/client";
import { AsyncView } from "../../components/AsyncView";
import { StatusBadge } from "../../components/Badge";
import { ConfirmDialog } from "../../components/Dialog";
import { Drawer } from "../../components/Drawer";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { countryName, formatDate } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";

const COUNTRY_CODES = "AD AE AR AT AU BE BG BO BR CA CH CL CN CO CR CY CZ DE DK DO EC EE ES FI FR GB GR GT HK HR HU ID IE IL IN IS IT JP KR LI LT LU LV MT MX MY NL NO NZ PA PE PH PL PR PT PY RO RS SA SE SG SI SK TH TR TW UA US UY VN ZA".split(" ");

interface Form {
  name: string;
  country: string;
  ratePercent: string;
  status: "active" | "suspended";
  effectiveFrom: string;
}

const today = () => new Date().toISOString().slice(0, 10);

/** The Tax Rule listing page: "Create Rule" in the header, "Edit" and "Delete" icons per rule. */
export default function TaxRules() {
  const session = useSession();
  const rules = createAsync(() => getTaxRules());
  const canWrite = () => hasPrivilege(session().user, "billing.write");
  const [editing, setEditing] = createSignal<TaxRule | "new" | null>(null);
  const [deleting, setDeleting] = createSignal<TaxRule | null>(null);
  const [notice, setNotice] = createSignal("");
  const [error, setError] = createSignal<unknown>();
  const [pending, setPending] = createSignal(false);
  const trail = () => [...menuPath(session(), "/billing/configurations"), { label: "Tax Rule" }];

  async function confirmDelete() {
    const rule = deleting();
    if (!rule) return;
    setPending(true);
    try {
      await deleteTaxRule(rule.id);
      setNotice(`Tax rule "${rule.name}" deleted. Issued invoices keep the tax they were issued with.`);
      setDeleting(null);
    } catch (err) {
      setError(err);
      setDeleting(null);
    } finally {
      setPending(false);
    }
  }

  return (
    <div class="page">
      <PageHeader title="Tax Rule" trail={trail()}>
        <Show when={canWrite()}>
          <button type="button" class="btn btn-primary" onClick={() => setEditing("new")}>
            Create Rule
          </button>
        </Show>
      </PageHeader>
      <Show when={notice()}>
        <SuccessNotice>{notice()}</SuccessNotice>
      </Show>
      <Show when={error()}>
        <ErrorNotice error={error()} title="That did not work." />
      </Show>
      <AsyncView data={rules} loading="Loading tax rules…">
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="empty-state">There are no tax rules yet. Invoices are issued without tax until you create one.</p>}>
            <div class="table-wrap" role="region" aria-labelledby="tax-caption" tabindex="0">
              <table class="table">
                <caption id="tax-caption" class="sr-only">Tax rules</caption>
                <thead>
                  <tr>
                    <th scope="col">Rule Name</th>
                    <th scope="col">Country</th>
                    <th scope="col" class="num">Tax Rate %</th>
                    <th scope="col">Scheduled change</th>
                    <th scope="col">Status</th>
                    <th scope="col"><span class="sr-only">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  <For each={list()}>
                    {(rule) => (
                      <tr>
                        <th scope="row">{rule.name}</th>
                        <td>{countryName(rule.country)} ({rule.country})</td>
                        <td class="num">{rule.ratePercent}</td>
                        <td>{rule.scheduled ? `${rule.scheduled.ratePercent} % from ${formatDate(rule.scheduled.effectiveFrom)}` : "—"}</td>
                        <td><StatusBadge status={rule.status === "active" ? "active" : "suspended"} /></td>
                        <td class="nowrap">
                          <Show when={canWrite()}>
                            <button type="button" class="btn btn-small" aria-label={`Edit ${rule.name}`} title="Edit" onClick={() => setEditing(rule)}>
                              <span aria-hidden="true">✎</span>
                            </button>{" "}
                            <button type="button" class="btn btn-small" aria-label={`Delete ${rule.name}`} title="Delete" onClick={() => setDeleting(rule)}>
                              <span aria-hidden="true">🗑</span>
                            </button>
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        )}
      </AsyncView>
      <RuleDrawer rule={editing()} onClose={() => setEditing(null)} onSaved={(msg) => { setNotice(msg); setEditing(null); }} />
      <ConfirmDialog open={deleting() !== null} title="Delete tax rule?" confirmLabel="Confirm" pending={pending()} onConfirm={() => void confirmDelete()} onCancel={() => setDeleting(null)}>
        <p>
          "{deleting()?.name}" will stop applying to new invoices. Invoices already issued keep the tax they were issued with.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function RuleDrawer(props: { rule: TaxRule | "new" | null; onClose: () => void; onSaved: (message: string) => void }) {
  const blank = (): Form => ({ name: "", country: "", ratePercent: "", status: "active", effectiveFrom: today() });
  const [form, setForm] = createSignal<Form>(blank());
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal<unknown>();
  const [pending, setPending] = createSignal(false);
  let lastRule: TaxRule | "new" | null = null;
  const open = () => {
    const r = props.rule;
    if (r !== lastRule) {
      lastRule = r;
      setFields({});
      setError(undefined);
      setForm(r && r !== "new" ? { name: r.name, country: r.country, ratePercent: r.ratePercent, status: r.status, effectiveFrom: today() } : blank());
    }
    return r !== null;
  };
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm({ ...form(), [k]: v });
  const isEdit = () => props.rule !== null && props.rule !== "new";

  async function save(e: Event) {
    e.preventDefault();
    if (pending()) return;
    const f = form();
    const errs: Record<string, string> = {};
    if (!f.name.trim()) errs.name = "Enter a rule name.";
    if (!f.country) errs.country = "Choose a country.";
    if (!/^\d{1,3}(\.\d{1,4})?$/.test(f.ratePercent.trim()) || Number(f.ratePercent) > 100) errs.ratePercent = "Enter a rate from 0 to 100 with at most 4 decimals.";
    if (f.effectiveFrom && f.effectiveFrom < today()) errs.effectiveFrom = "A rate cannot take effect in the past.";
    setFields(errs);
    if (Object.keys(errs).length) return;
    setPending(true);
    setError(undefined);
    try {
      const input = { name: f.name.trim(), country: f.country, ratePercent: f.ratePercent.trim(), status: f.status, ...(f.effectiveFrom ? { effectiveFrom: f.effectiveFrom } : {}) };
      const r = props.rule;
      if (r && r !== "new") await updateTaxRule(r.id, input);
      else await createTaxRule(input);
      props.onSaved(`Tax rule "${input.name}" saved.`);
    } catch (err) {
      if (isApiError(err) && err.fields) setFields(err.fields);
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <Drawer open={open()} title={isEdit() ? "Edit Tax Rule" : "Create Tax Rule"} onClose={props.onClose}
      footer={<>
        <button type="button" class="btn" onClick={props.onClose}>Cancel</button>
        <button type="submit" form="tax-rule-form" class="btn btn-primary" aria-disabled={pending()}>Save</button>
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
            <For each={[...new Set([...COUNTRY_CODES, form().country].filter(Boolean))].map((c) => ({ c, n: countryName(c) })).sort((a, b) => a.n.localeCompare(b.n))}>
              {(o) => <option value={o.c}>{o.n}</option>}
            </For>
          </select>
          <FieldError for="country" message={fields().country} />
        </div>
        <div class="field">
          <label for="rule-rate">Tax Rate %</label>
          <input id="rule-rate" type="text" inputmode="decimal" value={form().ratePercent} aria-describedby={errorIdFor("ratePercent", fields().ratePercent)} onInput={(e) => set("ratePercent", e.currentTarget.value)} />
          <FieldError for="ratePercent" message={fields().ratePercent} />
        </div>
        <div class="field">
          <label for="rule-from">Rate effective from</label>
          <input id="rule-from" type="date" min={today()} value={form().effectiveFrom} aria-describedby={`rule-from-hint ${errorIdFor("effectiveFrom", fields().effectiveFrom) ?? ""}`.trim()} onInput={(e) => set("effectiveFrom", e.currentTarget.value)} />
          <p id="rule-from-hint" class="muted">A new rate applies to invoices issued from this date; issued invoices never change.</p>
          <FieldError for="effectiveFrom" message={fields().effectiveFrom} />
        </div>
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
