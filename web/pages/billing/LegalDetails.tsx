/**
 * Legal details printed on invoices (docs/decisions/013-invoice-documents.md):
 * - "Invoice Details" in Billing Configurations: the operator as the seller;
 * - "Billing Details" of an organization: its postal address, VAT / tax number and tax exemption.
 * Both forms validate with the same contract schemas as the API, so the messages match.
 */
import { For, Show, createSignal, type JSX } from "solid-js";
import { createAsync } from "@solidjs/router";
import type { z } from "zod";
import {
  BillingDetailsInput,
  InvoiceDetailsInput,
  REVERSE_CHARGE_REASON,
  addressLines,
  type BillingDetails,
  type InvoiceDetails,
} from "../../../worker/contract/invoice-details";
import { getBillingDetails, getInvoiceDetails, saveBillingDetails, saveInvoiceDetails } from "../../api/billing";
import { useFormAction } from "../../forms";
import { Field, describedBy } from "../../components/Field";
import { FormDrawer } from "../../components/FormDrawer";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { countryName } from "../../format";

const COUNTRY_CODES =
  "AE AR AT AU BE BG BR CA CH CL CN CO CY CZ DE DK EE EG ES FI FR GB GR HK HR HU ID IE IL IN IS IT JP KR LI LT LU LV MA MT MX MY NG NL NO NZ PH PL PT RO RS SA SE SG SI SK TH TR TW UA US VN ZA".split(" ");


type Values = Record<string, string>;
interface FieldSpec {
  name: string;
  label: string;
  hint?: string;
  kind?: "text" | "country" | "textarea";
}

const ADDRESS: FieldSpec[] = [
  { name: "addressLine1", label: "Address line 1" },
  { name: "addressLine2", label: "Address line 2" },
  { name: "postalCode", label: "Postal code" },
  { name: "city", label: "City" },
  { name: "region", label: "State / Region" },
  { name: "country", label: "Country", kind: "country" },
];

function Fields(props: { prefix: string; specs: FieldSpec[]; values: Values; errors: Values; disabled?: boolean; onInput: (name: string, value: string) => void }) {
  return (
    <For each={props.specs}>
      {(f) => {
        const id = `${props.prefix}-${f.name}`;
        const common = {
          id,
          disabled: props.disabled,
          "aria-describedby": describedBy(id, props.errors[f.name], !!f.hint),
          "aria-invalid": props.errors[f.name] ? true : undefined,
        };
        return (
          <Field id={id} label={f.label} error={props.errors[f.name]} hint={f.hint}>
            {f.kind === "country" ? (
              <select {...common} value={props.values[f.name] ?? ""} onChange={(e) => props.onInput(f.name, e.currentTarget.value)}>
                <option value="">Choose a country</option>
                <For each={[...new Set([...COUNTRY_CODES, props.values[f.name]].filter(Boolean) as string[])].map((c) => ({ c, n: countryName(c) })).sort((a, b) => a.n.localeCompare(b.n))}>
                  {(o) => <option value={o.c}>{o.n}</option>}
                </For>
              </select>
            ) : f.kind === "textarea" ? (
              <textarea {...common} rows="3" value={props.values[f.name] ?? ""} onInput={(e) => props.onInput(f.name, e.currentTarget.value)} />
            ) : (
              <input {...common} type="text" value={props.values[f.name] ?? ""} onInput={(e) => props.onInput(f.name, e.currentTarget.value)} />
            )}
          </Field>
        );
      }}
    </For>
  );
}

const fieldErrors = (issues: Array<{ path: PropertyKey[]; message: string }>): Values =>
  Object.fromEntries(issues.map((i) => [String(i.path[0]), i.message]));

const blankToNull = (v: Values) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x.trim() === "" ? null : x.trim()]));

// ---------------------------------------------------------------------------------------------- seller

const SELLER_FIELDS: FieldSpec[] = [
  { name: "legalName", label: "Legal name", hint: "The registered company name printed as the seller." },
  ...ADDRESS,
  { name: "taxId", label: "VAT / Tax number", hint: "Checked for the country's format, e.g. IE6388047V." },
  { name: "registrationNumber", label: "Company registration number" },
  { name: "bankName", label: "Bank name" },
  { name: "iban", label: "IBAN" },
  { name: "bic", label: "BIC / SWIFT" },
  { name: "accountNumber", label: "Account number", hint: "Where IBANs are not used (with the routing number)." },
  { name: "routingNumber", label: "Routing number" },
  { name: "footer", label: "Invoice footer", kind: "textarea", hint: "Printed at the bottom of every invoice and credit note." },
];

/** Billing Configurations → "Invoice Details". */
export function InvoiceDetailsSection(props: { canWrite: boolean }) {
  const details = createAsync(() => getInvoiceDetails());
  return (
    <section class="section" aria-labelledby="invoice-details-title">
      <h2 id="invoice-details-title">Invoice Details</h2>
      <p class="muted">The seller on every invoice and credit note. Issued invoices keep the details they were issued with.</p>
      <Show when={details()}>{(d) => <InvoiceDetailsForm details={d()} canWrite={props.canWrite} />}</Show>
    </section>
  );
}

function InvoiceDetailsForm(props: { details: InvoiceDetails; canWrite: boolean }) {
  const initial = Object.fromEntries(SELLER_FIELDS.map((f) => [f.name, String((props.details as unknown as Record<string, unknown>)[f.name] ?? "")]));
  const [values, setValues] = createSignal<Values>(initial);
  const form = useFormAction(saveInvoiceDetails);
  const errors = form.errors;
  const [saved, setSaved] = createSignal(false);
  async function onSubmit(e: Event) {
    e.preventDefault();
    if (form.pending()) return;
    setSaved(false);
    const parsed = InvoiceDetailsInput.safeParse(blankToNull(values()));
    if (!form.check(parsed.success ? {} : fieldErrors(parsed.error.issues))) return;
    // It has just passed the schema: the raw values are what the API takes (it applies the same transforms).
    if (await form.submit(blankToNull(values()) as z.input<typeof InvoiceDetailsInput>)) setSaved(true);
  }
  return (
    <form novalidate onSubmit={onSubmit} aria-label="Invoice Details">
      <Show when={saved()}><SuccessNotice>Invoice Details saved.</SuccessNotice></Show>
      <Show when={form.error()}><ErrorNotice error={form.error()} title="The Invoice Details were not saved." /></Show>
      <Show when={!props.details.configured}>
        <p class="banner banner-info">Not configured yet: invoices show only the operator's name and country until these are saved.</p>
      </Show>
      <div class="form-grid">
        <Fields prefix="seller" specs={SELLER_FIELDS} values={values()} errors={errors()} disabled={!props.canWrite} onInput={(n, v) => setValues({ ...values(), [n]: v })} />
      </div>
      <Show when={props.canWrite}>
        <button type="submit" class="btn btn-primary" aria-disabled={form.pending()}>
          {form.pending() ? "Saving…" : "Save Invoice Details"}
        </button>
      </Show>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------- buyer

const BUYER_FIELDS: FieldSpec[] = [
  { name: "legalName", label: "Legal name", hint: "Only if it differs from the organization's name." },
  ...ADDRESS,
  { name: "taxId", label: "VAT / Tax number", hint: "Optional; checked for the country's format." },
];

/** Organization → "Billing Details": shown to everyone who sees the organization; edited by the operator. */
export function BillingDetailsSection(props: { orgId: string; canWrite: boolean }) {
  const details = createAsync(() => getBillingDetails(props.orgId));
  const [open, setOpen] = createSignal(false);
  return (
    <section class="section" aria-labelledby="billing-details-title">
      <div class="page-title-row">
        <h2 id="billing-details-title">Billing Details</h2>
        <Show when={props.canWrite}>
          <button type="button" class="btn btn-small" onClick={() => setOpen(true)}>Edit Billing Details</button>
        </Show>
      </div>
      <Show when={details()}>
        {(d) => (
          <>
            <dl class="details">
              <div><dt>Billing address</dt><dd>{d().addressLine1 ? addressLines({ ...d(), line1: d().addressLine1, line2: d().addressLine2 }).join(", ") : "Not set"}</dd></div>
              <div><dt>VAT / Tax number</dt><dd>{d().taxId ?? "None"}</dd></div>
              <div><dt>Tax exemption</dt><dd>{d().taxExemptReason ?? "Not exempt"}</dd></div>
            </dl>
            <Show when={open()}>
              <BillingDetailsDrawer orgId={props.orgId} details={d()} onClose={() => setOpen(false)} />
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}

function BillingDetailsDrawer(props: { orgId: string; details: BillingDetails; onClose: () => void }) {
  const initial = Object.fromEntries(BUYER_FIELDS.map((f) => [f.name, String((props.details as unknown as Record<string, unknown>)[f.name] ?? "")]));
  const [values, setValues] = createSignal<Values>(initial);
  const [exempt, setExempt] = createSignal(!!props.details.taxExemptReason);
  const [reason, setReason] = createSignal(props.details.taxExemptReason ?? (props.details.reverseChargeSuggested ? REVERSE_CHARGE_REASON : ""));
  const form = useFormAction(saveBillingDetails);
  const errors = form.errors;
  const body = () => ({ ...blankToNull(values()), taxExempt: exempt(), taxExemptReason: exempt() ? reason().trim() || null : null });
  async function onSubmit(e: Event) {
    e.preventDefault();
    if (form.pending()) return;
    const parsed = BillingDetailsInput.safeParse(body());
    if (!form.check(parsed.success ? {} : fieldErrors(parsed.error.issues))) return;
    if (await form.submit(props.orgId, body() as z.input<typeof BillingDetailsInput>)) props.onClose();
  }
  const reasonField: JSX.Element = (
    <Field id="buyer-taxExemptReason" label="Exemption reason" error={errors().taxExemptReason} hint="Printed on every invoice issued while the exemption applies.">
      <textarea id="buyer-taxExemptReason" rows="3" value={reason()} aria-describedby={describedBy("buyer-taxExemptReason", errors().taxExemptReason, true)} onInput={(e) => setReason(e.currentTarget.value)} />
    </Field>
  );
  return (
    <FormDrawer open title="Edit Billing Details" formId="billing-details-form" submitLabel="Save" pending={form.pending()} onClose={props.onClose}>
      <form id="billing-details-form" novalidate onSubmit={onSubmit}>
        <Show when={form.error()}><ErrorNotice error={form.error()} title="The Billing Details were not saved." /></Show>
        <Fields prefix="buyer" specs={BUYER_FIELDS} values={values()} errors={errors()} onInput={(n, v) => setValues({ ...values(), [n]: v })} />
        <div class="field checkbox-field">
          <label>
            <input type="checkbox" checked={exempt()} onChange={(e) => setExempt(e.currentTarget.checked)} /> Tax exempt
          </label>
          <Show when={props.details.reverseChargeSuggested && !props.details.taxExemptReason}>
            <p class="muted">A business with a VAT number in another EU country: reverse charge usually applies.</p>
          </Show>
        </div>
        <Show when={exempt()}>{reasonField}</Show>
      </form>
    </FormDrawer>
  );
}
