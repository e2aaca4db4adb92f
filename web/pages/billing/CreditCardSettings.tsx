/**
 * Billing Configurations → "Credit Card Settings" (billing.txt): Enforce Credit Card, Except Trial Customer,
 * Enforcement Exemption, Link Multiple Accounts with Credit Cards, Validity Deduction, No of Decline Payments
 * Allowed. The server checks the same zod schema (worker/contract/payments.ts); docs/decisions/016c-card-settings.md.
 */
import { For, Show, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import { CardSettingsInput, DECLINE_LIMIT_MAX, type CardSettings } from "../../../worker/contract/payments";
import { currency } from "../../../worker/contract/currencies";
import { creditAmountProblem } from "../../../worker/contract/wallet";
import { getCardSettings, saveCardSettings } from "../../api/payments";
import { ApiError } from "../../api/client";
import { FieldError } from "../../components/FieldError";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { OrgPicker } from "../../components/OrgPicker";
import { useFormAction } from "../../forms";
import { zodFieldErrors } from "../../validation";

type Org = CardSettings["exempt"][number];

export function CreditCardSettingsSection(props: { canWrite: boolean }) {
  const settings = createAsync(() => getCardSettings());
  return (
    <section class="section" aria-labelledby="card-settings-title">
      <h2 id="card-settings-title">Credit Card Settings</h2>
      <Show when={settings()} fallback={<p class="muted">Loading…</p>}>
        {(s) => <CardSettingsForm settings={s()} canWrite={props.canWrite} />}
      </Show>
    </section>
  );
}

function Toggle(props: { id: string; label: string; checked: boolean; disabled: boolean; onChange: (on: boolean) => void; hint?: string }) {
  return (
    <div class="field checkbox-field">
      <input id={props.id} type="checkbox" checked={props.checked} disabled={props.disabled} aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        onChange={(e) => props.onChange(e.currentTarget.checked)} />
      <label for={props.id}>{props.label}</label>
      <Show when={props.hint}><p id={`${props.id}-hint`} class="muted">{props.hint}</p></Show>
    </div>
  );
}

function Exemption(props: { orgs: Org[]; disabled: boolean; error?: string; onChange: (orgs: Org[]) => void }) {
  const [picked, setPicked] = createSignal<Org | null>(null);
  const add = () => {
    const o = picked();
    if (o && !props.orgs.some((x) => x.id === o.id)) props.onChange([...props.orgs, o]);
    setPicked(null);
  };
  return (
    <fieldset class="field-group">
      <legend>Enforcement Exemption</legend>
      <p class="muted">Customers and resellers that never have to add a card.</p>
      <ul aria-label="Exempted organizations">
        <For each={props.orgs} fallback={<li class="muted">No organization is exempt.</li>}>
          {(o) => (
            <li>
              {o.name} ({o.kind === "reseller" ? "Reseller" : "Customer"}){" "}
              <Show when={!props.disabled}>
                <button type="button" class="btn btn-small" aria-label={`Remove ${o.name} from the exemption`} onClick={() => props.onChange(props.orgs.filter((x) => x.id !== o.id))}>Remove</button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={!props.disabled}>
        <OrgPicker id="card-exempt-org" label="Organization to exempt" value={picked()?.id ?? ""} error={props.error}
          onChange={(id, org) => setPicked(id && org && org.kind !== "operator" ? { id, name: org.name, kind: org.kind } : null)} />
        <button type="button" class="btn btn-small" disabled={!picked()} onClick={add}>Add to exemption</button>
      </Show>
    </fieldset>
  );
}

function CardSettingsForm(props: { settings: CardSettings; canWrite: boolean }) {
  const s = props.settings;
  const [v, setV] = createSignal({ ...s, declineLimit: String(s.declineLimit) });
  const set = (patch: Partial<ReturnType<typeof v>>) => setV((p) => ({ ...p, ...patch }));
  const form = useFormAction(saveCardSettings);
  const [saved, setSaved] = createSignal(false);
  const ro = !props.canWrite;
  const exponent = currency(s.currency).exponent;

  async function onSubmit(e: Event) {
    e.preventDefault();
    setSaved(false);
    const x = v();
    const input = { enforceCard: x.enforceCard, exceptTrialCustomer: x.exceptTrialCustomer, exemptOrgIds: x.exempt.map((o) => o.id), linkMultipleAccounts: x.linkMultipleAccounts,
      validityDeductionEnabled: x.validityDeductionEnabled, validityDeduction: x.validityDeduction.trim(), declineLimit: Number(x.declineLimit) };
    const amountProblem = input.validityDeductionEnabled || input.validityDeduction ? creditAmountProblem(input.validityDeduction, exponent) : null;
    const refused = zodFieldErrors(CardSettingsInput, input) ?? (amountProblem ? new ApiError(400, "VALIDATION_FAILED", "Some fields are invalid.", "", { validityDeduction: amountProblem }) : null);
    if (refused) return form.refuse(refused);
    if (await form.submit(input)) setSaved(true);
  }

  return (
    <form id="card-settings-form" novalidate onSubmit={onSubmit}>
      <Show when={saved()}><SuccessNotice>Credit Card Settings saved.</SuccessNotice></Show>
      <Show when={form.error()}><ErrorNotice error={form.error()} title="The Credit Card Settings were not saved." /></Show>
      <Toggle id="card-enforce" label="Enforce Credit Card" checked={v().enforceCard} disabled={ro} onChange={(on) => set({ enforceCard: on })}
        hint="Every customer and reseller must add a valid card; until they do, they are taken to Payment Info when they sign in. Off: they choose online or offline payment." />
      <Toggle id="card-except-trial" label="Except Trial Customer" checked={v().exceptTrialCustomer} disabled={ro || !v().enforceCard} onChange={(on) => set({ exceptTrialCustomer: on })}
        hint="Customers whose only Resource Subscription is a single trial need no card." />
      <Exemption orgs={v().exempt} disabled={ro} error={form.fieldError("exemptOrgIds")} onChange={(exempt) => set({ exempt })} />
      <Toggle id="card-link-multiple" label="Link Multiple Accounts with Credit Cards" checked={v().linkMultipleAccounts} disabled={ro} onChange={(on) => set({ linkMultipleAccounts: on })}
        hint="Off: a card in use by one organization cannot be added by another." />
      <Toggle id="card-validity" label="Validity Deduction From Credit Card" checked={v().validityDeductionEnabled} disabled={ro} onChange={(on) => set({ validityDeductionEnabled: on })}
        hint="Adding a card charges the amount below; the card is saved only if the charge succeeds, and the amount is credited to the organization's wallet." />
      <div class="form-grid">
        <div class="field">
          <label for="card-validity-amount">Validity Deduction ({s.currency})</label>
          <input id="card-validity-amount" type="text" inputmode="decimal" value={v().validityDeduction} disabled={ro} placeholder={exponent ? "1.00" : "1"}
            aria-invalid={form.fieldError("validityDeduction") ? true : undefined} aria-describedby={form.fieldError("validityDeduction") ? "validityDeduction-error" : undefined}
            onInput={(e) => set({ validityDeduction: e.currentTarget.value })} />
          <FieldError for="validityDeduction" message={form.fieldError("validityDeduction")} />
        </div>
        <div class="field">
          <label for="card-decline-limit">No of Decline Payments Allowed</label>
          <input id="card-decline-limit" type="number" min="1" max={DECLINE_LIMIT_MAX} step="1" inputmode="numeric" value={v().declineLimit} disabled={ro}
            aria-invalid={form.fieldError("declineLimit") ? true : undefined} aria-describedby={form.fieldError("declineLimit") ? "declineLimit-error" : undefined}
            onInput={(e) => set({ declineLimit: e.currentTarget.value })} />
          <FieldError for="declineLimit" message={form.fieldError("declineLimit")} />
        </div>
      </div>
      <Show when={props.canWrite}>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" aria-disabled={form.pending()}>Save Credit Card Settings</button>
        </div>
      </Show>
    </form>
  );
}
