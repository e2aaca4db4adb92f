/**
 * My Invoices » Pay all (docs/decisions/019b-card-health-and-self-pay.md): when the organization owes more than
 * one invoice, one button pays them all in one payment. The confirmation lists each unpaid invoice and its share
 * (oldest first), what the wallet pays and what goes to which card; the POST carries the confirmed total.
 */
import { For, Show, Suspense, createSignal, type JSX } from "solid-js";
import { createAsync } from "@solidjs/router";
import type { PayAllResult } from "../../../worker/contract/pay-all";
import { formatMoney } from "../../../worker/contract/money";
import { ApiError } from "../../api/client";
import { getPayAllPreview, payAllInvoices } from "../../api/pay-all";
import { ConfirmDialog } from "../../components/Dialog";
import { SuccessNotice } from "../../components/Notices";
import { ReceiptLink } from "../../components/ReceiptLink";
import { useFormAction } from "../../forms";
import { formatDate } from "../../format";

export function PayAll(props: { onDone: () => void; onError: (err: unknown) => void }) {
  const preview = createAsync(() => getPayAllPreview());
  const pay = useFormAction(payAllInvoices);
  const [asking, setAsking] = createSignal(false);
  // The success view stays after the list no longer has several unpaid invoices (the section below goes).
  const [done, setDone] = createSignal<{ result: PayAllResult; money: (m: number) => string } | null>(null);
  let button!: HTMLButtonElement;
  const money = (m: number) => formatMoney(m, preview()?.currency ?? "EUR", preview()?.exponent ?? 2);

  async function confirm() {
    const p = preview();
    if (!p) return;
    const r = await pay.submit(p.totalMinor);
    setAsking(false);
    if (!r) return props.onError(pay.error());
    if (r.status === "declined") return props.onError(new ApiError(402, "CARD_REFUSED", `Your card was declined: ${r.message ?? r.declineCode ?? "no reason given"}. Your invoices are still unpaid; update your card in Payment Info and try again.`, ""));
    if (r.status === "requires_action") return props.onError(new ApiError(402, "AUTHENTICATION_REQUIRED", r.message ?? "Your bank asks you to confirm this payment. Your invoices stay unpaid until you do.", ""));
    const p2 = p;
    setDone({ result: r, money: (m) => formatMoney(m, p2.currency, p2.exponent) });
    props.onDone();
  }

  return (
    <Suspense>
    <Show when={done()}>{(d) => <SuccessNotice>{paidMessage(d().result, d().money)}</SuccessNotice>}</Show>
    <Show when={(preview()?.invoices.length ?? 0) > 1 ? preview() : undefined}>
      {(p) => (
        <section class="section" aria-labelledby="pay-all-title">
          <div class="page-title-row">
            <h2 id="pay-all-title">{p().invoices.length} unpaid invoices · {money(p().totalMinor)} due</h2>
            <button ref={button} type="button" class="btn btn-primary" onClick={() => { pay.reset(); setAsking(true); }}>Pay all</button>
          </div>
          <ConfirmDialog open={asking()} title={`Pay all ${p().invoices.length} unpaid invoices?`} confirmLabel={`Pay ${money(p().totalMinor)}`} pending={pay.pending()}
            returnFocus={() => button} onConfirm={() => !p().cardProblem && void confirm()} onCancel={() => setAsking(false)}>
            <table class="table">
              <caption>Each invoice's share, oldest first</caption>
              <thead><tr><th scope="col">Invoice</th><th scope="col">Issue Date</th><th scope="col" class="num">Share</th><th scope="col" class="num">Wallet</th><th scope="col" class="num">Card</th></tr></thead>
              <tbody>
                <For each={p().invoices}>
                  {(i) => <tr><th scope="row">{i.number}</th><td>{formatDate(i.issueDate)}</td><td class="num">{money(i.dueMinor)}</td><td class="num">{money(i.walletMinor)}</td><td class="num">{money(i.cardMinor)}</td></tr>}
                </For>
              </tbody>
            </table>
            <p>
              <Show when={p().walletMinor > 0}>{money(p().walletMinor)} is paid from your wallet. </Show>
              <Show when={p().cardMinor > 0}>
                <Show when={p().card} fallback={<strong>{p().cardProblem}</strong>}>{(c) => <>{money(p().cardMinor)} is charged to {c().label}, in one payment.</>}</Show>
              </Show>
            </p>
            <Show when={p().leftOutCount > 0}><p class="muted">{p().leftOutCount} more unpaid invoices (another currency, or beyond one payment) are paid separately.</p></Show>
          </ConfirmDialog>
        </section>
      )}
    </Show>
    </Suspense>
  );
}

function paidMessage(r: PayAllResult, money: (m: number) => string): JSX.Element {
  return (
    <>
      Thank you: {money(r.walletMinor + r.cardMinor)} paid for invoices {r.invoices.map((i) => i.number ?? i.invoiceId).join(", ")}.{" "}
      <Show when={r.paymentId}>{(id) => <ReceiptLink paymentId={id()} label="Download receipt (card)" />}</Show>{" "}
      <Show when={r.walletPaymentId}>{(id) => <ReceiptLink paymentId={id()} label="Download receipt (wallet)" />}</Show>
    </>
  );
}
