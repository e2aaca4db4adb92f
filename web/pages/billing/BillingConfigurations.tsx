import { For, Show, createEffect, createSignal } from "solid-js";
import { useFormAction } from "../../forms";
import type { JSX } from "solid-js";
import { createAsync } from "@solidjs/router";
import type { BillingSettings } from "../../../worker/contract/billing";
import { CURRENCIES, currency } from "../../../worker/contract/currencies";
import { hasPrivilege } from "../../../worker/contract/roles";
import { getBillingSettings, getTaxRules, saveBillingSettings } from "../../api/billing";
import { AsyncView } from "../../components/AsyncView";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { Icon } from "../../components/Icon";
import { FooterBar, SubmitButton } from "../../components/FooterBar";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { InvoiceDetailsSection } from "./LegalDetails";
import { DunningProcessSection } from "./DunningProcess";
import { CreditCardSettingsSection } from "./CreditCardSettings";
import { useSession } from "../../session";

/** Billing & Reports » Customer Billing » Billing Configurations: Currency Settings, Credit Card Settings, Payment Gateways, Tax Rule, Invoice Details, Dunning Process. */
export default function BillingConfigurations() {
  const session = useSession();
  const settings = createAsync(() => getBillingSettings());
  const rules = createAsync(() => getTaxRules());
  const canWrite = () => hasPrivilege(session().user, "billing.write");
  const taxRule = (
    <section class="section" aria-labelledby="tax-rule-title">
      <div class="page-title-row">
        <h2 id="tax-rule-title">Tax Rule</h2>
        <Show when={canWrite()} fallback={<a class="btn btn-small" href="/billing/tax-rules">View tax rules</a>}>
          <a class="btn btn-small" href="/billing/tax-rules" aria-label="Edit Tax Rule" title="Edit">
            <Icon name="edit" /> Edit
          </a>
        </Show>
      </div>
      <p class="muted">
        Taxes are computed automatically on taxable products from the active rules of the billed organization's country.
      </p>
      <Show when={rules()}>
        {(list) => (
          <p>
            {list().filter((r) => r.status === "active").length} active rule(s), {list().filter((r) => r.status === "suspended").length} suspended.
          </p>
        )}
      </Show>
    </section>
  );
  const paymentGateways = (
    <section class="section" aria-labelledby="gateways-title">
      <div class="page-title-row">
        <h2 id="gateways-title">Payment Gateways</h2>
        <a class="btn btn-small" href="/billing/payment-gateways" aria-label={canWrite() ? "Edit Payment Gateways" : "View Payment Gateways"} title={canWrite() ? "Edit" : "View"}>
          <Show when={canWrite()} fallback="View payment gateways"><Icon name="edit" /> Edit</Show>
        </a>
      </div>
      <p class="muted">Stripe (cards on file, automatic charges) and ADPAY (payment on the gateway's page).</p>
    </section>
  );
  const after = (
    <>
      <CreditCardSettingsSection canWrite={canWrite()} />
      {paymentGateways}
      {taxRule}
      <InvoiceDetailsSection canWrite={canWrite()} />
      <DunningProcessSection canWrite={canWrite()} />
    </>
  );
  return (
    <div class="page">
      <PageHeader title="Billing Configurations" menu="/billing/configurations" />
      <AsyncView data={settings} loading="Loading billing settings…">
        {/* The Tax Rule block sits between the sections and the footer bar, which must come last on the page. */}
        {(s) => <CurrencySettings settings={s()} canWrite={canWrite()} after={after} />}
      </AsyncView>
    </div>
  );
}

function CurrencySettings(props: { settings: BillingSettings; canWrite: boolean; after: JSX.Element }) {
  const [currencyCode, setCurrency] = createSignal(props.settings.currency);
  const [precision, setPrecision] = createSignal(String(props.settings.precision));
  const [terms, setTerms] = createSignal(String(props.settings.paymentTermsDays));
  const [prefix, setPrefix] = createSignal(props.settings.invoicePrefix);
  const form = useFormAction(saveBillingSettings);
  const fields = form.errors;
  const [saved, setSaved] = createSignal(false);
  createEffect(() => {
    setCurrency(props.settings.currency);
    setPrecision(String(props.settings.precision));
  });
  const locked = () => props.settings.locked;
  const lockReason = "Locked: invoices have already been issued. Cloud billing works in a single currency and precision once the first invoice exists.";
  const readOnlyReason = "View only: changing these settings needs the “Manage billing” privilege.";
  /** Why a field cannot be changed, if it cannot: the lock wins over the privilege. */
  const fixedBecause = (lockable: boolean) => (lockable && locked() ? "currency-lock" : !props.canWrite ? "readonly-reason" : "");
  const LockMark = (p: { lockable: boolean }) => <Show when={fixedBecause(p.lockable)}><Icon name="lock" /></Show>;
  const minPrecision = () => currency(currencyCode()).exponent;

  async function onSubmit(e: Event) {
    e.preventDefault();
    if (form.pending()) return;
    setSaved(false);
    const f: Record<string, string> = {};
    const p = Number(precision());
    if (!/^\d$/.test(precision()) || p > 6) f.precision = "Enter a number from 0 to 6.";
    else if (p < minPrecision()) f.precision = `${currencyCode()} has ${minPrecision()} decimals: the precision must be at least that.`;
    if (!/^\d{1,3}$/.test(terms()) || Number(terms()) > 365) f.paymentTermsDays = "Enter a whole number of days from 0 to 365.";
    if (!/^[A-Z0-9]{1,10}$/.test(prefix())) f.invoicePrefix = "Use 1 to 10 capital letters or digits.";
    if (!form.check(f)) return;
    const result = await form.submit({ currency: currencyCode(), precision: p, paymentTermsDays: Number(terms()), invoicePrefix: prefix() });
    if (result) setSaved(true);
  }

  return (
    <>
    <section class="section" aria-labelledby="currency-title">
      <h2 id="currency-title">Currency Settings</h2>
      <Show when={saved()}>
        <SuccessNotice>Currency Settings saved.</SuccessNotice>
      </Show>
      <Show when={form.error()}>
        <ErrorNotice error={form.error()} title="The settings were not saved." />
      </Show>
      <form id="currency-form" novalidate onSubmit={onSubmit}>
        <div class="form-grid">
          <div class="field">
            <label for="currency"><LockMark lockable />Currency</label>
            <select id="currency" value={currencyCode()} disabled={locked() || !props.canWrite} aria-describedby={[fixedBecause(true), errorIdFor("currency", fields().currency) ?? ""].join(" ").trim() || undefined}
              onChange={(e) => setCurrency(e.currentTarget.value)}>
              <For each={CURRENCIES}>{(c) => <option value={c.code}>{c.code} — {c.name}</option>}</For>
            </select>
            <FieldError for="currency" message={fields().currency} />
          </div>
          <div class="field">
            <label for="precision"><LockMark lockable />Billing Precision</label>
            <input id="precision" type="number" min={minPrecision()} max="6" step="1" inputmode="numeric" value={precision()} disabled={locked() || !props.canWrite}
              aria-describedby={[fixedBecause(true) || "precision-hint", errorIdFor("precision", fields().precision) ?? ""].join(" ").trim()}
              onInput={(e) => setPrecision(e.currentTarget.value)} />
            <p id="precision-hint" class="muted">Decimal places used in charge calculations ({minPrecision()}-6 for {currencyCode()}).</p>
            <FieldError for="precision" message={fields().precision} />
          </div>
          <div class="field">
            <label for="terms"><LockMark lockable={false} />Payment terms (days)</label>
            <input id="terms" type="number" min="0" max="365" inputmode="numeric" value={terms()} disabled={!props.canWrite} aria-describedby={[fixedBecause(false), errorIdFor("paymentTermsDays", fields().paymentTermsDays) ?? ""].join(" ").trim() || undefined}
              onInput={(e) => setTerms(e.currentTarget.value)} />
            <FieldError for="paymentTermsDays" message={fields().paymentTermsDays} />
          </div>
          <div class="field">
            <label for="prefix"><LockMark lockable={false} />Invoice prefix</label>
            <input id="prefix" type="text" value={prefix()} disabled={!props.canWrite} aria-describedby={[fixedBecause(false), errorIdFor("invoicePrefix", fields().invoicePrefix) ?? ""].join(" ").trim() || undefined}
              onInput={(e) => setPrefix(e.currentTarget.value.toUpperCase())} />
            <FieldError for="invoicePrefix" message={fields().invoicePrefix} />
          </div>
        </div>
        <Show when={locked()}>
          <p id="currency-lock" class="banner banner-info field-locked"><Icon name="lock" />{lockReason}</p>
        </Show>
        <Show when={!props.canWrite}>
          <p id="readonly-reason" class="banner banner-info field-locked"><Icon name="lock" />{readOnlyReason}</p>
        </Show>
        <h3>Rounding rule</h3>
        <p class="muted">{props.settings.roundingRule}</p>
        <p class="muted">Invoice numbers look like {prefix() || "INV"}-{new Date().getUTCFullYear()}-000123 and have no gaps. Due date = issue date + payment terms.</p>
      </form>
    </section>
    {props.after}
    <Show when={props.canWrite}>
      <FooterBar>
        <SubmitButton form="currency-form" pending={form.pending()}>Save</SubmitButton>
      </FooterBar>
    </Show>
    </>
  );
}
