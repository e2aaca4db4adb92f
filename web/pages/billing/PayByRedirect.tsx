/**
 * My Invoices » Pay now on the gateway's own page (ADR 016b), shown instead of PayNow when the active gateway's
 * capability is `hostedPage` (ADPAY). After a confirmation with the amount, the wallet pays first and the payer is
 * sent to the gateway's page. Back from it, the signed return in the address is handed to the server, which asks
 * the gateway: the page says paid, or why not (cancelled, declined, expired), never what the address claims.
 */
import { Show, createSignal, onMount } from "solid-js";
import { useSearchParams } from "@solidjs/router";
import type { InvoiceSummary } from "../../../worker/contract/billing";
import type { HostedReturnInput } from "../../../worker/contract/hosted-pay";
import { formatMoney } from "../../../worker/contract/money";
import { ApiError } from "../../api/client";
import { confirmRedirectReturn, startRedirectPayment } from "../../api/pay-by-redirect";
import { ConfirmDialog } from "../../components/Dialog";
import { useFormAction } from "../../forms";

const RETURN_KEYS = ["payment_id", "order_ref", "status", "amount", "currency", "ts", "signature"] as const;

export function PayByRedirect(props: { invoice: InvoiceSummary; onDone: (message: string) => void; onError: (err: unknown) => void }) {
  const start = useFormAction(startRedirectPayment);
  const back = useFormAction(confirmRedirectReturn);
  const [search, setSearch] = useSearchParams();
  const [asking, setAsking] = createSignal(false);
  let button!: HTMLButtonElement;
  const due = () => props.invoice.totalMinor - props.invoice.amountPaidMinor;
  const money = (m: number) => formatMoney(m, props.invoice.currency, props.invoice.exponent);

  async function confirm() {
    const r = await start.submit(props.invoice.id, due());
    if (!r) {
      setAsking(false);
      return props.onError(start.error());
    }
    if (r.status === "paid") {
      setAsking(false);
      return props.onDone(`Thank you: ${money(r.walletMinor)} paid from your wallet.`);
    }
    location.assign(r.url!);
  }

  // Back from the gateway's page: the address carries its signed return, read once and then removed.
  onMount(async () => {
    if (typeof search.payment_id !== "string" || typeof search.signature !== "string") return;
    const input = Object.fromEntries(RETURN_KEYS.map((k) => [k, String(search[k] ?? "")])) as HostedReturnInput;
    setSearch(Object.fromEntries(RETURN_KEYS.map((k) => [k, undefined])), { replace: true });
    const r = await back.submit(input);
    if (!r) return props.onError(back.error());
    if (r.status === "failed") return props.onError(new ApiError(402, "PAYMENT_NOT_COMPLETED", `${r.message} The invoice is still unpaid; you can try again.`, ""));
    props.onDone(r.message);
  });

  return (
    <>
      <Show when={back.pending()}><p role="status" class="muted">Checking your payment with the payment gateway…</p></Show>
      <Show when={props.invoice.status === "unpaid" && !back.pending()}>
        <button ref={button} type="button" class="btn btn-primary" onClick={() => { start.reset(); setAsking(true); }}>Pay now</button>
      </Show>
      <ConfirmDialog open={asking()} title={`Pay invoice ${props.invoice.number ?? ""}?`} confirmLabel={`Pay ${money(due())}`} pending={start.pending()}
        returnFocus={() => button} onConfirm={() => void confirm()} onCancel={() => setAsking(false)}>
        <p>You are taken to the payment gateway's secure page to pay {money(due())}. Any balance in your wallet is used first.</p>
      </ConfirmDialog>
    </>
  );
}
