/**
 * The "More" menu of an invoice and the actions behind it: Capture Payment, Cancel Invoice, Adjust Offline,
 * Resend Invoice.
 */
import { Show, createSignal, onCleanup } from "solid-js";
import type { InvoiceSummary } from "../../../worker/contract/billing";
import type { CapturePreview } from "../../../worker/contract/collection";
import type { ChargeResult } from "../../../worker/contract/collection";
import { formatMoney } from "../../../worker/contract/money";
import { adjustOffline, cancelInvoice, capturePayment, getCapturePreview, resendInvoice } from "../../api/invoices";
import { useDialogForm, useFormAction } from "../../forms";
import { ConfirmDialog } from "../../components/Dialog";
import { Drawer } from "../../components/Drawer";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { Icon } from "../../components/Icon";
import { ErrorNotice } from "../../components/Notices";

export function MoreMenu(props: { invoice: InvoiceSummary; onDone: (message: string) => void; onError: (err: unknown) => void }) {
  const [open, setOpen] = createSignal(false);
  const [action, setAction] = createSignal<"cancel" | "offline" | "capture" | null>(null);
  const [preview, setPreview] = createSignal<CapturePreview | null>(null);
  let root!: HTMLDivElement;
  let toggle!: HTMLButtonElement;
  const close = () => setOpen(false);
  const onDocClick = (e: MouseEvent) => {
    if (!root.contains(e.target as Node)) close();
  };
  document.addEventListener("click", onDocClick);
  onCleanup(() => document.removeEventListener("click", onDocClick));
  const label = () => props.invoice.number ?? "invoice";
  const money = (minor: number) => formatMoney(minor, props.invoice.currency, props.invoice.exponent);
  const capture = useFormAction(capturePayment);
  const cancelling = useFormAction(cancelInvoice);

  function onMenuKey(e: KeyboardEvent) {
    const items = [...root.querySelectorAll<HTMLButtonElement>(".row-menu-list button")];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === "Escape") {
      close();
      toggle.focus();
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      items[(i + 1) % items.length]?.focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      items[(i - 1 + items.length) % items.length]?.focus();
    }
  }

  async function resend() {
    close();
    try {
      const r = await resendInvoice(props.invoice.id);
      props.onDone(`Invoice ${label()} sent to ${r.sentTo}.`);
    } catch (err) {
      props.onError(err);
    }
  }

  /** Capture Payment: read what would be charged first, then ask for confirmation with the card and amounts. */
  async function openCapture() {
    close();
    try {
      setPreview(await getCapturePreview(props.invoice.id));
      setAction("capture");
    } catch (err) {
      props.onError(err);
    }
  }

  async function confirmCapture(p: CapturePreview) {
    const r = await capture.submit(props.invoice.id, p.dueMinor);
    setAction(null);
    if (!r) return props.onError(capture.error());
    // What was taken, as the server reports it (wallet and card amounts), not what the preview expected.
    props.onDone(r.status === "paid"
      ? `Invoice ${label()} paid: ${capturedFrom(r, p.card?.label, money)}.`
      : `${r.message ?? "The payment is not complete yet."} Invoice ${label()} stays unpaid until it is.`);
  }

  async function confirmCancel() {
    const r = await cancelling.submit(props.invoice.id);
    setAction(null);
    if (!r) return props.onError(cancelling.error());
    props.onDone(`Invoice ${label()} cancelled. Its number is kept; what was due has been reversed.`);
  }

  return (
    <div class="row-menu" ref={root}>
      <button ref={toggle} type="button" class="btn btn-small" aria-haspopup="menu" aria-expanded={open()} aria-label={`More actions for ${label()}`}
        onClick={() => {
          setOpen(!open());
          if (open()) queueMicrotask(() => root.querySelector<HTMLButtonElement>(".row-menu-list button")?.focus());
        }}>
        More <Icon name="chevron-down" />
      </button>
      <Show when={open()}>
        <ul class="row-menu-list" role="menu" aria-label={`Actions for ${label()}`} onKeyDown={onMenuKey}>
          <Show when={props.invoice.status === "unpaid"}>
            <li role="none"><button type="button" role="menuitem" onClick={() => void openCapture()}>Capture Payment</button></li>
            <li role="none"><button type="button" role="menuitem" onClick={() => { close(); setAction("cancel"); }}>Cancel Invoice</button></li>
            <li role="none"><button type="button" role="menuitem" onClick={() => { close(); setAction("offline"); }}>Adjust Offline</button></li>
          </Show>
          <li role="none"><button type="button" role="menuitem" onClick={() => void resend()}>Resend Invoice</button></li>
        </ul>
      </Show>
      <ConfirmDialog open={action() === "cancel"} title={`Cancel invoice ${label()}?`} cancelLabel="Keep invoice" confirmLabel="Cancel invoice" pending={cancelling.pending()} returnFocus={() => toggle}
        onConfirm={() => void confirmCancel()} onCancel={() => setAction(null)}>
        <p>The invoice keeps its number and shows as Cancelled. The amount due is reversed in the ledger. This cannot be undone.</p>
      </ConfirmDialog>
      <ConfirmDialog open={action() === "capture" && preview() !== null} title={`Capture payment for invoice ${label()}?`} cancelLabel="Do not charge" confirmLabel="Capture Payment"
        pending={capture.pending()} returnFocus={() => toggle} onConfirm={() => void confirmCapture(preview()!)} onCancel={() => setAction(null)}>
        <Show when={preview()}>{(p) => <CaptureSummary preview={p()} org={props.invoice.org.name} money={money} />}</Show>
      </ConfirmDialog>
      <AdjustOfflineDrawer invoice={props.invoice} open={action() === "offline"} returnFocus={() => toggle} onClose={() => setAction(null)}
        onSaved={() => { setAction(null); props.onDone(`Invoice ${label()} marked as paid.`); }} />
    </div>
  );
}

/** Where the money came from: "€12.00 charged to VISA •••• 4242", "€3.00 from the wallet and €9.00 charged to …". */
function capturedFrom(r: Pick<ChargeResult, "walletMinor" | "cardMinor">, cardLabel: string | undefined, money: (m: number) => string): string {
  const card = r.cardMinor > 0 ? `${money(r.cardMinor)} charged to ${cardLabel ?? "the card on file"}` : "";
  const wallet = r.walletMinor > 0 ? `${money(r.walletMinor)} from the wallet` : "";
  return [wallet, card].filter(Boolean).join(" and ");
}

function CaptureSummary(props: { preview: CapturePreview; org: string; money: (m: number) => string }) {
  return (
    <>
      <p>{props.org} owes <strong>{props.money(props.preview.dueMinor)}</strong> on this invoice.</p>
      <Show when={props.preview.walletMinor > 0}>
        <p>{props.money(props.preview.walletMinor)} is paid from the organization's wallet first.</p>
      </Show>
      <Show when={props.preview.cardMinor > 0 && props.preview.card}>
        {(card) => <p><strong>{props.money(props.preview.cardMinor)}</strong> will be charged to {card().label}.</p>}
      </Show>
    </>
  );
}

function AdjustOfflineDrawer(props: { invoice: InvoiceSummary; open: boolean; returnFocus: () => HTMLElement; onClose: () => void; onSaved: () => void }) {
  const form = useDialogForm(adjustOffline, () => props.onClose());
  const id = () => props.invoice.id;
  const err = (f: string) => form.fieldError(f);

  async function save(e: Event) {
    e.preventDefault();
    const data = form.data();
    const reference = String(data.get("reference") ?? "").trim();
    const f: Record<string, string> = {};
    if (!data.get("markAsPaid")) f.markAsPaid = "Tick \"Mark as Paid\" to record the payment.";
    if (!reference) f.reference = "Enter the transaction reference.";
    if (!form.check(f)) return;
    if (await form.send(id(), { markAsPaid: true, reference, description: String(data.get("description") ?? "").trim() })) props.onSaved();
  }

  return (
    <Drawer open={props.open} title="Adjust Invoice Offline" onClose={form.close} returnFocus={props.returnFocus}
      footer={<>
        <button type="button" class="btn" onClick={form.close}>Cancel</button>
        <button type="submit" form={`offline-${id()}`} class="btn btn-primary" aria-disabled={form.pending()}>Save</button>
      </>}>
      <p>Invoice <strong>{props.invoice.number}</strong> for {props.invoice.org.name}.</p>
      <Show when={form.error() && !Object.keys(form.errors()).length}>
        <ErrorNotice error={form.error()} title="The payment was not recorded." />
      </Show>
      <form id={`offline-${id()}`} ref={form.ref} novalidate onSubmit={save}>
        <div class="check">
          <input id={`paid-${id()}`} name="markAsPaid" type="checkbox" aria-describedby={errorIdFor(`markAsPaid-${id()}`, err("markAsPaid"))} />
          <label for={`paid-${id()}`}>Mark as Paid</label>
        </div>
        <FieldError for={`markAsPaid-${id()}`} message={err("markAsPaid")} />
        <div class="field">
          <label for={`ref-${id()}`}>Transaction Reference</label>
          <input id={`ref-${id()}`} name="reference" type="text" aria-describedby={errorIdFor(`reference-${id()}`, err("reference"))} />
          <FieldError for={`reference-${id()}`} message={err("reference")} />
        </div>
        <div class="field">
          <label for={`desc-${id()}`}>Description</label>
          <textarea id={`desc-${id()}`} name="description" rows="3" />
        </div>
      </form>
    </Drawer>
  );
}
