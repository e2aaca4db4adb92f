import { For, Show, createSignal } from "solid-js";
import { createAsync, useParams } from "@solidjs/router";
import { addressLines, bankLines, type Party, type Seller } from "../../../worker/contract/invoice-details";
import { formatMoney } from "../../../worker/contract/money";
import { hasPrivilege } from "../../../worker/contract/roles";
import { creditNotePdfUrl, getInvoice, invoicePdfUrl } from "../../api/invoices";
import type { InvoiceDetail as InvoiceDetailData } from "../../../worker/contract/billing";
import { AsyncView } from "../../components/AsyncView";
import { StatusBadge } from "../../components/Badge";
import { Outcome } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { ReceiptLink } from "../../components/ReceiptLink";
import { formatDate, formatDateTime, formatQuantity, formatUnitPrice, ORG_KIND_LABELS } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";
import { MoreMenu } from "./InvoiceActions";
import { PayNow } from "./PayNow";
import { PayByRedirect } from "./PayByRedirect";
import { getPaymentOptions } from "../../api/pay-by-redirect";

const STATUS_LABEL = { draft: "Draft", unpaid: "Unpaid", paid: "Paid", cancelled: "Cancelled" } as const;
const KIND_LABEL: Record<string, string> = { offline_payment: "Offline payment", card_payment: "Card payment", wallet_payment: "Wallet", refund: "Refund", invoice_cancelled: "Cancellation (reversal)" };

/** One invoice: lines with the consumption behind usage charges, tax breakdown, totals and payment history. */
export default function InvoiceDetail() {
  const session = useSession();
  const params = useParams();
  const invoice = createAsync(() => getInvoice(params.id ?? ""));
  const [notice, setNotice] = createSignal("");
  const [error, setError] = createSignal<unknown>();
  const canWrite = () => hasPrivilege(session().user, "billing.write");
  const isTenant = () => session().user.role === "customer" || session().user.role === "reseller";
  // A gateway that takes payments on its own page (capability hostedPage) and none that keeps cards: pay by redirect.
  const options = createAsync(() => (isTenant() ? getPaymentOptions() : Promise.resolve(null)));
  const byRedirect = () => !!options()?.hostedPage && !options()?.cardOnFile;
  const trail = () => [...menuPath(session(), "/billing/invoices"), { label: invoice()?.number ?? "Invoice" }];
  return (
    <AsyncView data={invoice} loading="Loading the invoice…" statusHeading="h1">
      {(inv) => {
        const money = (m: number) => formatMoney(m, inv().currency, inv().exponent);
        return (
          <div class="page">
            <PageHeader title={`Invoice ${inv().number ?? ""}`} trail={trail()}>
              <div class="filter-actions">
                <a class="btn" href={invoicePdfUrl(inv().id)} download="">Export Invoice</a>
                <Show when={isTenant() && inv().status === "unpaid" && options() !== undefined && !byRedirect()}>
                  <PayNow invoice={inv()} onDone={(m) => { setError(undefined); setNotice(m); }} onError={(e) => { setNotice(""); setError(e); }} />
                </Show>
                <Show when={isTenant() && byRedirect()}>
                  <PayByRedirect invoice={inv()} onDone={(m) => { setError(undefined); setNotice(m); }} onError={(e) => { setNotice(""); setError(e); }} />
                </Show>
                <Show when={canWrite()}>
                  <MoreMenu invoice={inv()} onDone={(m) => { setError(undefined); setNotice(m); }} onError={(e) => { setNotice(""); setError(e); }} />
                </Show>
              </div>
            </PageHeader>
            <Outcome notice={notice()} error={error()} title="That did not work." />
            <dl class="details">
              <div><dt>Status</dt><dd><StatusBadge status={STATUS_LABEL[inv().status]} /></dd></div>
              <div><dt>Organization</dt><dd>{inv().org.name} ({ORG_KIND_LABELS[inv().org.kind]})</dd></div>
              <Show when={inv().subscription}>{(s) => <div><dt>Resource Subscription</dt><dd>{s().name}</dd></div>}</Show>
              <div><dt>Issue Date</dt><dd>{formatDate(inv().issueDate)}</dd></div>
              <div><dt>Due Date</dt><dd>{formatDate(inv().dueDate)}</dd></div>
              <div><dt>Invoicing Period</dt><dd>{formatDate(inv().periodFrom)} – {formatDate(inv().periodTo)}</dd></div>
              <div><dt>Total</dt><dd>{money(inv().totalMinor)}</dd></div>
            </dl>
            <Show when={inv().creditNote}>
              {(cn) => (
                <p class="banner banner-info">
                  Cancelled: credit note {cn().number} of {formatDate(cn().issueDate)} credits this invoice in full ({money(cn().totalMinor)}).{" "}
                  <a href={creditNotePdfUrl(inv().id)} download="">Export Credit Note</a>
                </p>
              )}
            </Show>
            <div class="parties">
              <Show when={inv().seller}>{(s) => <PartyBlock title="From" party={s()} seller={s()} />}</Show>
              <Show when={inv().buyer}>{(b) => <PartyBlock title="Bill to" party={b()} />}</Show>
            </div>
            <Show when={inv().taxExemptReason}>
              {(reason) => <p class="banner banner-info"><strong>Tax exempt:</strong> {reason()}</p>}
            </Show>
            <section class="section" aria-labelledby="lines-title">
              <h2 id="lines-title">Invoiced Items</h2>
              <div class="table-wrap" role="region" aria-labelledby="lines-title" tabindex="0">
                <table class="table">
                  <thead>
                    <tr><th scope="col">Description</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Unit price</th><th scope="col">Taxable</th><th scope="col" class="num">Amount</th></tr>
                  </thead>
                  <tbody>
                    <For each={inv().lines}>
                      {(l) => (
                        <tr>
                          <th scope="row">
                            {l.description}
                            <Show when={l.periodFrom && l.periodTo}><div class="cell-sub muted">{formatDate(l.periodFrom)} – {formatDate(l.periodTo)}</div></Show>
                            <Show when={l.usage && l.usage.length > 0}>
                              <details>
                                <summary>Consumption ({l.usage!.length} entries)</summary>
                                <ul class="plain-list">
                                  <For each={l.usage!}>{(u) => <li>{formatDate(u.date)}{u.resource ? ` · ${u.resource}` : ""}: {formatQuantity(u.quantity, l.unit)}</li>}</For>
                                </ul>
                              </details>
                            </Show>
                          </th>
                          <td class="num">{formatQuantity(l.quantity, l.unit)}</td>
                          <td class="num">{formatUnitPrice(l.unitPrice, inv().currency)}</td>
                          <td>{l.taxable ? "Yes" : "No"}</td>
                          <td class="num">{money(l.netMinor)}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <div class="totals" aria-label="Totals">
                <div><span>Subtotal</span><span class="num">{money(inv().subtotalMinor)}</span></div>
                <For each={inv().taxes}>{(t) => <div><span>{t.ruleName} ({t.ratePercent} % of {money(t.taxableMinor)})</span><span class="num">{money(t.taxMinor)}</span></div>}</For>
                <Show when={inv().taxes.length === 0}><div><span>Tax</span><span class="num">{money(0)}</span></div></Show>
                <div class="grand"><span>Total</span><span class="num">{money(inv().totalMinor)}</span></div>
                <div><span>Amount due</span><span class="num">{money(inv().status === "unpaid" ? inv().totalMinor - inv().amountPaidMinor : 0)}</span></div>
              </div>
            </section>
            <PaymentHistory invoice={inv()} money={money} />
          </div>
        );
      }}
    </AsyncView>
  );
}

/** Seller or buyer as frozen on the invoice: name, postal address, VAT / tax number (and the seller's registration and bank). */
function PartyBlock(props: { title: string; party: Party; seller?: Seller }) {
  const id = `party-${props.title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section class="section party" aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      <address>
        <strong>{props.party.name}</strong>
        <For each={addressLines(props.party)}>{(l) => <div>{l}</div>}</For>
      </address>
      <dl class="details">
        <Show when={props.party.taxId}><div><dt>VAT / Tax number</dt><dd>{props.party.taxId}</dd></div></Show>
        <Show when={props.seller?.registrationNumber}><div><dt>Company registration</dt><dd>{props.seller!.registrationNumber}</dd></div></Show>
        <Show when={props.party.attn}><div><dt>Attn</dt><dd>{props.party.attn}</dd></div></Show>
        <Show when={props.seller && bankLines(props.seller).length > 0}><div><dt>Bank details</dt><dd><For each={bankLines(props.seller!)}>{(l) => <div>{l}</div>}</For></dd></div></Show>
      </dl>
    </section>
  );
}

/**
 * Payment history: the money that landed (each card or wallet payment with its receipt) and the card attempts
 * that did not pay, declined or not completed, with the reason (worker/domain/invoices/payment-attempts.ts).
 */
function PaymentHistory(props: { invoice: InvoiceDetailData; money: (m: number) => string }) {
  type Row = { key: string; at: string; method: string; amountMinor: number; result: string; paymentId: string | null };
  const rows = (): Row[] => [
    ...props.invoice.payments.map((p) => ({ key: p.id, at: p.at, method: [KIND_LABEL[p.kind] ?? p.kind, p.description].filter(Boolean).join(" · "), amountMinor: p.amountMinor,
      result: p.kind === "refund" ? "Refunded" : `Paid${p.reference ? ` · Ref. ${p.reference}` : ""}`, paymentId: p.kind === "card_payment" || p.kind === "wallet_payment" ? p.paymentId : null })),
    ...props.invoice.failedAttempts.map((a) => ({ key: a.id, at: a.at, method: a.method, amountMinor: a.amountMinor,
      result: `${a.outcome === "declined" ? "Declined" : "Not completed"}: ${a.reason}`, paymentId: null })),
  ].sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
  return (
    <section class="section" aria-labelledby="payments-title">
      <h2 id="payments-title">Payment history</h2>
      <Show when={rows().length > 0} fallback={<p class="empty-state">No payments recorded.</p>}>
        <table class="table">
          <thead><tr><th scope="col">Date</th><th scope="col">Method</th><th scope="col" class="num">Amount</th><th scope="col">Result</th><th scope="col">Receipt</th></tr></thead>
          <tbody>
            <For each={rows()}>
              {(r) => (
                <tr>
                  <td>{formatDateTime(r.at)}</td>
                  <td>{r.method}</td>
                  <td class="num">{props.money(r.amountMinor)}</td>
                  <td>{r.result}</td>
                  <td><Show when={r.paymentId} fallback={<span class="muted">—</span>}>{(id) => <ReceiptLink paymentId={id()} />}</Show></td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}
