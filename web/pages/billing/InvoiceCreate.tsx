import { For, Index, Show, createMemo, createResource, createSignal } from "solid-js";
import { createAsync, useNavigate } from "@solidjs/router";
import { computeInvoiceWithRules, ManualInvoiceInput, type RuleRate } from "../../../worker/contract/billing";
import { currency } from "../../../worker/contract/currencies";
import { formatMoney, parseDecimal, percentToPpm } from "../../../worker/contract/money";
import { selectApplicableRules } from "../../../worker/contract/tax-selection";
import { getBillingSettings, getTaxRules } from "../../api/billing";
import { isApiError } from "../../api/client";
import { createInvoice, getContractOptions } from "../../api/invoices";
import type { OrgOption } from "../../api/catalogue";
import { ConfirmDialog } from "../../components/Dialog";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { FooterBar, SubmitButton } from "../../components/FooterBar";
import { ErrorNotice, errorMessage } from "../../components/Notices";
import { OrgPicker } from "../../components/OrgPicker";
import { formatDate, formatUnitPrice } from "../../format";
import { useFormAction } from "../../forms";
import { zodFieldErrors } from "../../validation";
import { PageHeader } from "../../components/PageHeader";
import { menuPath } from "../../nav";
import { useSession } from "../../session";

interface Item {
  description: string;
  quantity: string;
  unitPrice: string;
  unit: string;
  taxable: boolean;
  productId: string | null;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (date: string, n: number) => iso(new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000));

/** "Create" manual invoice, field by field as the manual lists them; totals and taxes preview live. */
export default function InvoiceCreate() {
  const session = useSession();
  const navigate = useNavigate();
  const settings = createAsync(() => getBillingSettings());
  const rules = createAsync(() => getTaxRules());
  const [forKind, setForKind] = createSignal<"customer" | "reseller">("customer");
  const [org, setOrg] = createSignal<OrgOption | undefined>();
  const orgId = () => org()?.id ?? "";
  // A failed load of the contracts (403, network) is shown under "Select Contract", never as a crash of the page.
  const [contractsError, setContractsError] = createSignal<unknown>();
  const [contracts] = createResource(orgId, (id) => {
    setContractsError(undefined);
    return id ? getContractOptions(id).catch((err: unknown) => (setContractsError(err), [])) : Promise.resolve([]);
  });
  const [contractId, setContractId] = createSignal("");
  const [status, setStatus] = createSignal<"unpaid" | "paid">("unpaid");
  const today = iso(new Date());
  const [issueDate, setIssueDate] = createSignal(today);
  const [dueDate, setDueDate] = createSignal("");
  const [periodFrom, setPeriodFrom] = createSignal(`${today.slice(0, 8)}01`);
  const [periodTo, setPeriodTo] = createSignal(today);
  const [items, setItems] = createSignal<Item[]>([]);
  const [productPick, setProductPick] = createSignal("");
  const form = useFormAction(createInvoice);
  const fields = form.errors;
  // CONFIRMATION_REQUIRED is not a failure: the dialog below asks for the confirmation instead of a notice.
  const error = () => {
    const err = form.error();
    return isApiError(err) && err.code === "CONFIRMATION_REQUIRED" ? undefined : err;
  };
  const pending = form.pending;
  /** The server's CONFIRMATION_REQUIRED reasons (field → why), shown in a dialog until confirmed or dismissed. */
  const [confirmations, setConfirmations] = createSignal<Record<string, string> | null>(null);

  const due = () => dueDate() || (settings() ? addDays(issueDate(), settings()!.paymentTermsDays) : issueDate());
  const contract = () => contracts()?.find((c) => c.id === contractId());
  const orgLabel = () => (forKind() === "customer" ? "Select Customer" : "Select Reseller");
  const contractsMessage = () => (contractsError() ? `The contracts could not be loaded: ${errorMessage(contractsError())}` : undefined);

  /** The rules that will apply, chosen as the server chooses them when it issues the invoice. */
  const applicable = createMemo<RuleRate[]>(() => {
    const o = org();
    if (!o) return [];
    const candidates = (rules() ?? []).map((r) => ({ ...r, versions: r.versions.map((v) => ({ ...v, ratePpm: percentToPpm(v.ratePercent) ?? 0 })) }));
    return selectApplicableRules(candidates, o.country, issueDate());
  });

  const preview = createMemo(() => {
    const s = settings();
    if (!s) return null;
    const parsed = items().map((it) => ({ quantity: parseDecimal(it.quantity, 6), unitPrice: parseDecimal(it.unitPrice, 6), taxable: it.taxable }));
    if (parsed.some((p) => !p.quantity || !p.unitPrice)) return null;
    return computeInvoiceWithRules({ precision: s.precision, exponent: currency(s.currency).exponent, rules: applicable(),
      lines: parsed.map((p) => ({ quantity: p.quantity!, unitPrice: p.unitPrice!, taxable: p.taxable })) });
  });
  const money = (m: bigint) => (settings() ? formatMoney(m, settings()!.currency, currency(settings()!.currency).exponent) : "");

  const update = (i: number, patch: Partial<Item>) => setItems(items().map((it, k) => (k === i ? { ...it, ...patch } : it)));
  function addProduct() {
    const p = contract()?.products.find((x) => x.id === productPick());
    if (!p) return;
    setItems([...items(), { description: p.name, quantity: "1", unitPrice: p.unitPrice, unit: p.unit, taxable: p.taxable, productId: p.id }]);
  }

  const draft = (confirmed: { confirmIssueDate?: boolean; confirmZeroTotal?: boolean }) => ({
    for: forKind(), orgId: orgId(), contractId: contractId() || null, status: status(), issueDate: issueDate(), dueDate: due(),
    periodFrom: periodFrom(), periodTo: periodTo(),
    items: items().map((it) => ({ description: it.description.trim(), quantity: it.quantity.trim(), unitPrice: it.unitPrice.trim(), unit: it.unit || "unit", taxable: it.taxable, productId: it.productId })),
    ...confirmed,
  });

  /** Checked in the browser with the API's own schema (the same messages), then sent. */
  async function submit(e: Event) {
    e.preventDefault();
    if (pending()) return;
    if (!form.check(zodFieldErrors(ManualInvoiceInput, draft({}))?.fields ?? {})) return;
    await send({});
  }

  /** Sends the invoice; `confirmed` carries the confirmations the person gave in the dialog. */
  async function send(confirmed: { confirmIssueDate?: boolean; confirmZeroTotal?: boolean }) {
    const inv = await form.submit(draft(confirmed));
    const err = form.error();
    // The server asks the person to confirm on purpose (issue date far from today, zero total).
    setConfirmations(isApiError(err) && err.code === "CONFIRMATION_REQUIRED" && err.fields ? err.fields : null);
    if (inv) navigate(`/billing/invoices/${encodeURIComponent(inv.id)}`);
  }

  const input = (id: string, label: string, value: () => string, set: (v: string) => void, type = "date", field = id) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type={type} value={value()} aria-describedby={errorIdFor(field, fields()[field])} onInput={(e) => set(e.currentTarget.value)} />
      <FieldError for={field} message={fields()[field]} />
    </div>
  );

  return (
    <div class="page">
      <PageHeader title="Create Invoice" trail={[...menuPath(session(), "/billing/invoices"), { label: "Create" }]} />
      <Show when={error()}>
        <ErrorNotice error={error()} title="The invoice was not created." />
      </Show>
      <form id="invoice-form" class="form-stack" novalidate onSubmit={submit}>
        <div class="form-grid">
          <fieldset class="fieldset">
            <legend>For</legend>
            <div class="check">
              <input id="for-customer" type="radio" name="for" checked={forKind() === "customer"} onChange={() => { setForKind("customer"); setOrg(undefined); setContractId(""); }} />
              <label for="for-customer">Customer</label>
            </div>
            <div class="check">
              <input id="for-reseller" type="radio" name="for" checked={forKind() === "reseller"} onChange={() => { setForKind("reseller"); setOrg(undefined); setContractId(""); }} />
              <label for="for-reseller">Reseller</label>
            </div>
          </fieldset>
          <OrgPicker id="orgId" label={orgLabel()} kind={forKind()} value={orgId()} allowAll={orgLabel()} error={fields().orgId}
            onChange={(_, o) => { setOrg(o); setContractId(""); }} />
          <div class="field">
            <label for="contractId">Select Contract</label>
            <select id="contractId" value={contractId()} disabled={!orgId()} aria-describedby={errorIdFor("contractId", fields().contractId ?? contractsMessage())} onChange={(e) => setContractId(e.currentTarget.value)}>
              <option value="">No contract</option>
              <For each={contracts() ?? []}>{(c) => <option value={c.id}>{c.planName} (from {formatDate(c.startDate)}{c.expiryDate ? ` to ${formatDate(c.expiryDate)}` : ""})</option>}</For>
            </select>
            <FieldError for="contractId" message={fields().contractId ?? contractsMessage()} />
          </div>
          <div class="field">
            <label for="status">Status</label>
            <select id="status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as "paid" | "unpaid")}>
              <option value="unpaid">Unpaid</option>
              <option value="paid">Paid</option>
            </select>
          </div>
          {input("issueDate", "Issue Date", issueDate, setIssueDate)}
          {input("dueDate", "Due Date", due, setDueDate)}
        </div>
        <fieldset class="fieldset">
          <legend>Invoicing Period</legend>
          <div class="form-grid">
            {input("periodFrom", "From", periodFrom, setPeriodFrom)}
            {input("periodTo", "To", periodTo, setPeriodTo)}
          </div>
        </fieldset>

        <section class="section" aria-labelledby="items-title">
          <h2 id="items-title">Invoiced Items</h2>
          <div class="filters">
            <Show when={contract()}>
              <div class="field">
                <label for="product-pick">Item from the contract</label>
                <select id="product-pick" value={productPick()} onChange={(e) => setProductPick(e.currentTarget.value)}>
                  <option value="">Choose a product</option>
                  <For each={contract()!.products}>{(p) => <option value={p.id}>{p.name} ({settings() ? formatUnitPrice(p.unitPrice, settings()!.currency, p.unit) : `${p.unitPrice} / ${p.unit}`})</option>}</For>
                </select>
              </div>
              <button type="button" class="btn" disabled={!productPick()} onClick={addProduct}>Add from contract</button>
            </Show>
            <button type="button" class="btn" onClick={() => setItems([...items(), { description: "", quantity: "1", unitPrice: "", unit: "unit", taxable: true, productId: null }])}>
              Add manual item
            </button>
          </div>
          <FieldError for="items" message={fields().items} />
          <Show when={items().length > 0} fallback={<p class="empty-state">No items yet. Add items from the contract or manual items.</p>}>
            <div class="table-wrap">
              <table class="table items-table">
                <thead>
                  <tr><th scope="col">Description</th><th scope="col">Quantity</th><th scope="col">Unit price</th><th scope="col">Taxable</th><th scope="col" class="num">Amount</th><th scope="col"><span class="sr-only">Remove</span></th></tr>
                </thead>
                <tbody>
                  <Index each={items()}>
                    {(it, i) => (
                      <tr>
                        <td>
                          <label class="sr-only" for={`item-${i}-description`}>Description of item {i + 1}</label>
                          <input id={`item-${i}-description`} type="text" value={it().description} aria-describedby={errorIdFor(`items.${i}.description`, fields()[`items.${i}.description`])} onInput={(e) => update(i, { description: e.currentTarget.value })} />
                          <FieldError for={`items.${i}.description`} message={fields()[`items.${i}.description`]} />
                        </td>
                        <td>
                          <label class="sr-only" for={`item-${i}-quantity`}>Quantity of item {i + 1}</label>
                          <input id={`item-${i}-quantity`} type="text" inputmode="decimal" value={it().quantity} aria-describedby={errorIdFor(`items.${i}.quantity`, fields()[`items.${i}.quantity`])} onInput={(e) => update(i, { quantity: e.currentTarget.value })} />
                          <FieldError for={`items.${i}.quantity`} message={fields()[`items.${i}.quantity`]} />
                        </td>
                        <td>
                          <label class="sr-only" for={`item-${i}-price`}>Unit price of item {i + 1}</label>
                          <input id={`item-${i}-price`} type="text" inputmode="decimal" value={it().unitPrice} aria-describedby={errorIdFor(`items.${i}.unitPrice`, fields()[`items.${i}.unitPrice`])} onInput={(e) => update(i, { unitPrice: e.currentTarget.value })} />
                          <FieldError for={`items.${i}.unitPrice`} message={fields()[`items.${i}.unitPrice`]} />
                        </td>
                        <td>
                          <input id={`item-${i}-taxable`} type="checkbox" checked={it().taxable} onChange={(e) => update(i, { taxable: e.currentTarget.checked })} />
                          <label class="sr-only" for={`item-${i}-taxable`}>Item {i + 1} is taxable</label>
                        </td>
                        <td class="num">{preview() ? money(preview()!.lines[i]?.netMinor ?? 0n) : "—"}</td>
                        <td>
                          <button type="button" class="btn btn-small" aria-label={`Remove item ${i + 1}`} onClick={() => setItems(items().filter((_, k) => k !== i))}>Remove</button>
                        </td>
                      </tr>
                    )}
                  </Index>
                </tbody>
              </table>
            </div>
          </Show>
          <div class="totals" aria-live="polite" aria-label="Totals preview">
            <Show when={preview()} fallback={<p class="muted">Totals appear when every item has a valid quantity and unit price.</p>}>
              {(p) => (
                <>
                  <div><span>Subtotal</span><span class="num">{money(p().subtotalMinor)}</span></div>
                  <For each={p().ruleTaxes}>{(t) => <div><span>{t.ruleName} ({(t.ratePpm / 10_000).toString()} %)</span><span class="num">{money(t.taxMinor)}</span></div>}</For>
                  <Show when={p().ruleTaxes.length === 0}><div><span>Tax{org() ? ` (no active rule for ${org()!.country})` : ""}</span><span class="num">{money(0n)}</span></div></Show>
                  <div class="grand"><span>Total</span><span class="num">{money(p().totalMinor)}</span></div>
                </>
              )}
            </Show>
            <FieldError for="total" message={fields().total} />
          </div>
        </section>
      </form>
      <FooterBar>
        <a href="/billing/invoices" class="btn">Cancel</a>
        <SubmitButton form="invoice-form" pending={pending()}>Create</SubmitButton>
      </FooterBar>
      <ConfirmDialog
        open={confirmations() !== null}
        title="Create this invoice?"
        confirmLabel="Create anyway"
        pending={pending()}
        onConfirm={() => {
          const c = confirmations() ?? {};
          void send({ confirmIssueDate: "issueDate" in c, confirmZeroTotal: "total" in c });
        }}
        onCancel={() => setConfirmations(null)}
      >
        <ul>
          <For each={Object.values(confirmations() ?? {})}>{(why) => <li>{why}</li>}</For>
        </ul>
      </ConfirmDialog>
    </div>
  );
}
