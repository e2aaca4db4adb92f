import { For, Show, createSignal } from "solid-js";
import { createAsync, useSearchParams } from "@solidjs/router";
import { CARD_STATUS_LABELS, brandLabel, cardLabel, type Card, type PaymentInfo as Info, type UpdateCardResult } from "../../../worker/contract/payments";
import { getAutoPayment, getPaymentInfo, removeCard, saveAutoPayment, setDefaultCard, setPaymentMode } from "../../api/payments";
import { useFormAction } from "../../forms";
import { AsyncView } from "../../components/AsyncView";
import { Badge } from "../../components/Badge";
import { ConfirmDialog } from "../../components/Dialog";
import { ErrorNotice, Outcome } from "../../components/Notices";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { PageHeader } from "../../components/PageHeader";
import { menuPath } from "../../nav";
import { useSession } from "../../session";
import { AddCardDrawer } from "./AddCardDrawer";
import { ConfirmPayment } from "./ConfirmPayment";
import { SetupReturn } from "./SetupReturn";
import { PayWithNewCard } from "./PayWithNewCard";
import { UpdateCardDrawer } from "./UpdateCardDrawer";

/** Billing & Reports » Account Settings » Payment Info: the organization's cards and how it pays. */
export default function PaymentInfo() {
  const session = useSession();
  const info = createAsync(() => getPaymentInfo());
  const [params] = useSearchParams<{ confirm?: string; pay?: string }>();
  const [adding, setAdding] = createSignal(false);
  const [replacing, setReplacing] = createSignal<Card | null>(null);
  const [updating, setUpdating] = createSignal<Card | null>(null);
  const [removing, setRemoving] = createSignal<{ card: Card; replacedBy?: Card } | null>(null);
  const [notice, setNotice] = createSignal<string>();
  const writes = { makeDefault: useFormAction(setDefaultCard), remove: useFormAction(removeCard), mode: useFormAction(setPaymentMode) };
  const all = Object.values(writes);
  const error = () => all.map((w) => w.error()).find(Boolean);
  const pending = () => all.some((w) => w.pending());

  /** One write at a time; the notice says what happened, the error notice why not. */
  async function run<A>(write: { submit: (arg: A) => Promise<unknown> }, arg: A, done: string): Promise<boolean> {
    if (pending()) return false;
    all.forEach((w) => w.reset());
    setNotice(undefined);
    const ok = (await write.submit(arg)) !== undefined;
    if (ok) setNotice(done);
    return ok;
  }
  /** Replace: the new card is saved, becomes the default, then the old one is removed once confirmed. */
  async function replaced(old: Card, card: Card) {
    setReplacing(null);
    if (!card.isDefault && !(await run(writes.makeDefault, card.id, `${cardName(card)} is now your default card.`))) return;
    setNotice(`${cardName(card)} was saved and is your default card.`);
    setRemoving({ card: old, replacedBy: card });
  }
  const changed = (r: UpdateCardResult) => {
    setUpdating(null);
    setNotice(r.stillBlocked ? `${cardName(r.card)} was updated, but it is still Blocked: ${r.stillBlocked}` : `${cardName(r.card)} was updated.`);
  };

  return (
    <div class="page">
      <PageHeader title="Payment Info" trail={menuPath(session(), "/billing/payment-info")}>
        <Show when={info()?.cardGateway}>
          <button type="button" class="btn btn-primary" onClick={() => setAdding(true)}>Add a Card</button>
        </Show>
      </PageHeader>
      <Outcome notice={notice()} error={error()} title="That did not work." />
      <SetupReturn />
      <AsyncView data={info} loading="Loading payment info…">
        {(i) => (
          <>
            <Show when={params.confirm}>{(invoiceId) => <ConfirmPayment invoiceId={invoiceId()} gateway={i().cardGateway} />}</Show>
            <Show when={params.pay}>{(invoiceId) => <PayWithNewCard invoiceId={invoiceId()} gateway={i().cardGateway ?? null} />}</Show>
            <Show when={i().cardRequired && !i().cards.some((c) => c.status === "active")}>
              <p class="banner banner-warning" role="status">Your provider requires a valid credit or debit card on every account. Add a card to use the rest of the portal; until then only Payment Info and your account settings are available.</p>
            </Show>
            <Show when={!i().cardGateway}>
              <p class="banner banner-info">Cards cannot be added yet: the provider has not enabled card payments.</p>
            </Show>
            <CardTable cards={i().cards} pending={pending()} canChange={Boolean(i().cardGateway)}
              onDefault={(c) => void run(writes.makeDefault, c.id, `${cardName(c)} is now your default card.`)}
              onUpdate={setUpdating} onReplace={setReplacing} onRemove={(card) => setRemoving({ card })} />
            <Show when={i().cardGateway?.securityBadge}>
              <p class="security-badge"><span aria-hidden="true">🔒</span> Protected by Stripe</p>
            </Show>
            <Show when={i().cardGateway || i().cards.length > 0}>
              <AutoPaymentSection cards={i().cards} onSaved={(m) => { all.forEach((w) => w.reset()); setNotice(m); }} />
            </Show>
            <PaymentMode info={i()} pending={pending()} onChange={(m) => void run(writes.mode, m, m === "online" ? "You pay online with your card." : "You pay offline by bank transfer; invoices show the bank details.")} />
            <Show when={(adding() || replacing()) && i().cardGateway}>
              {(gw) => <AddCardDrawer gateway={gw()} validityDeduction={i().validityDeduction} title={replacing() ? `Replace ${cardLabel(replacing()!)}` : undefined}
                onClose={() => { setAdding(false); setReplacing(null); }}
                onSaved={(c) => { const old = replacing(); setAdding(false); if (old) void replaced(old, c); else setNotice(`${cardName(c)} was saved.`); }} />}
            </Show>
            <Show when={updating()}>{(c) => <UpdateCardDrawer card={c()} onClose={() => setUpdating(null)} onSaved={changed} />}</Show>
          </>
        )}
      </AsyncView>
      <ConfirmDialog open={removing() !== null} title={removing()?.replacedBy ? "Remove the old card?" : "Remove card?"} confirmLabel="Remove" cancelLabel={removing()?.replacedBy ? "Keep both cards" : undefined} pending={pending()}
        onConfirm={() => { const r = removing()!; setRemoving(null); void run(writes.remove, r.card.id, `${cardName(r.card)} was removed.`); }} onCancel={() => setRemoving(null)}>
        <p>{removing() ? `${cardName(removing()!.card)} will no longer be used for payments.` : ""}{removing()?.replacedBy ? ` ${cardName(removing()!.replacedBy!)} is now your default card.` : ""}</p>
      </ConfirmDialog>
    </div>
  );
}

const cardName = (c: Card) => `${brandLabel(c.brand)} ending in ${c.last4}`;

function CardTable(props: { cards: Card[]; pending: boolean; canChange: boolean; onDefault: (c: Card) => void; onUpdate: (c: Card) => void; onReplace: (c: Card) => void; onRemove: (c: Card) => void }) {
  return (
    <Show when={props.cards.length > 0} fallback={<p class="empty-state">No cards yet.</p>}>
      <div class="table-wrap" role="region" aria-labelledby="cards-caption" tabindex="0">
        <table class="table">
          <caption id="cards-caption" class="sr-only">Your cards</caption>
          <thead><tr><th scope="col">Card</th><th scope="col">Cardholder Name</th><th scope="col">Expiry Date</th><th scope="col">Status</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            <For each={props.cards}>
              {(c) => (
                <tr>
                  <th scope="row">{cardLabel(c)} <Show when={c.isDefault}><Badge tone="accent">Default</Badge></Show></th>
                  <td>{c.cardholderName ?? "—"}</td>
                  <td>{String(c.expMonth).padStart(2, "0")}/{c.expYear}</td>
                  <td><Badge tone={c.status === "active" ? "good" : "bad"}>{CARD_STATUS_LABELS[c.status]}</Badge></td>
                  <td class="nowrap">
                    <Show when={!c.isDefault && c.status === "active"}>
                      <button type="button" class="btn btn-small" aria-disabled={props.pending ? true : undefined} aria-label={`Set ${cardName(c)} as default`} onClick={() => props.onDefault(c)}>Set as Default</button>{" "}
                    </Show>
                    <Show when={props.canChange}>
                      <button type="button" class="btn btn-small" aria-label={`Update ${cardName(c)}`} onClick={() => props.onUpdate(c)}>Update</button>{" "}
                      <button type="button" class="btn btn-small" aria-label={`Replace ${cardName(c)}`} onClick={() => props.onReplace(c)}>Replace</button>{" "}
                    </Show>
                    <button type="button" class="btn btn-small" aria-label={`Remove ${cardName(c)}`} onClick={() => props.onRemove(c)}>Remove</button>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  );
}

function PaymentMode(props: { info: Info; pending: boolean; onChange: (m: "online" | "offline") => void }) {
  return (
    <Show when={!props.info.cardRequired}>
      <fieldset class="fieldset">
        <legend>How you pay</legend>
        <div class="check">
          <input id="pay-online" type="radio" name="pay-mode" checked={props.info.paymentMode === "online"} disabled={props.pending} onChange={() => props.onChange("online")} />
          <label for="pay-online">Online (credit card)</label>
        </div>
        <div class="check">
          <input id="pay-offline" type="radio" name="pay-mode" checked={props.info.paymentMode === "offline"} disabled={props.pending} onChange={() => props.onChange("offline")} />
          <label for="pay-offline">Offline (bank transfer; invoices show the bank details)</label>
        </div>
      </fieldset>
    </Show>
  );
}


/**
 * Auto Payment (account-settings.txt, "Enabling Auto Payments"): choose the card, toggle Auto Payment ON, confirm.
 * Every invoice issued afterwards is charged to that card automatically, after the wallet (ADR 019).
 */
function AutoPaymentSection(props: { cards: Card[]; onSaved: (message: string) => void }) {
  const auto = createAsync(() => getAutoPayment());
  const save = useFormAction(saveAutoPayment);
  const [picked, setPicked] = createSignal<string>();
  const [asking, setAsking] = createSignal<{ enabled: boolean; cardId?: string } | null>(null);
  const active = () => props.cards.filter((c) => c.status === "active");
  const chosen = () => picked() ?? auto()?.cardId ?? active().find((c) => c.isDefault)?.id ?? active()[0]?.id;
  const named = (id: string | undefined) => {
    const c = props.cards.find((x) => x.id === id);
    return c ? cardLabel(c) : "the chosen card";
  };

  function ask(enabled: boolean, cardId = chosen()) {
    if (enabled && !cardId) return void save.check({ cardId: "Add a card first: Auto Payment charges a card on file." });
    save.reset();
    setAsking({ enabled, cardId });
  }
  async function confirm() {
    const a = asking()!;
    const saved = await save.submit(a.enabled ? { enabled: true, cardId: a.cardId } : { enabled: false });
    setAsking(null);
    if (saved) props.onSaved(a.enabled ? `Auto Payment is on: new invoices are charged to ${named(a.cardId)}.` : "Auto Payment is off: pay new invoices from My Invoices.");
  }

  return (
    <section class="section" aria-labelledby="auto-payment-title">
      <h2 id="auto-payment-title">Auto Payment</h2>
      <Show when={save.error() && !save.fieldError("cardId")}><ErrorNotice error={save.error()} title="Auto Payment was not changed." /></Show>
      <div class="field">
        <label for="auto-payment-card">Card for automatic payments</label>
        <select id="auto-payment-card" value={chosen() ?? ""} disabled={active().length === 0} aria-invalid={save.fieldError("cardId") ? true : undefined}
          aria-describedby={errorIdFor("auto-payment-card-error", save.fieldError("cardId"))}
          onChange={(e) => {
            setPicked(e.currentTarget.value);
            if (auto()?.enabled) ask(true, e.currentTarget.value);
          }}>
          <Show when={active().length === 0}><option value="">No active card</option></Show>
          <For each={active()}>{(c) => <option value={c.id}>{cardLabel(c)}{c.isDefault ? " (default)" : ""}</option>}</For>
        </select>
        <FieldError for="auto-payment-card-error" message={save.fieldError("cardId")} />
      </div>
      <div class="check">
        <input id="auto-payment" type="checkbox" role="switch" checked={auto()?.enabled ?? false} disabled={auto() === undefined}
          onChange={(e) => {
            const want = e.currentTarget.checked;
            e.currentTarget.checked = auto()?.enabled ?? false; // the switch moves once confirmed
            ask(want);
          }} />
        <label for="auto-payment">Auto Payment</label>
      </div>
      <p class="hint">{auto()?.enabled ? `On: new invoices are charged to ${named(auto()?.cardId ?? undefined)} soon after they are issued, after your wallet balance.` : "Off: you pay invoices yourself from My Invoices."}</p>
      <ConfirmDialog open={asking() !== null} title={asking()?.enabled ? "Turn on Auto Payment?" : "Turn off Auto Payment?"} confirmLabel={asking()?.enabled ? "Turn on Auto Payment" : "Turn off Auto Payment"}
        pending={save.pending()} onConfirm={() => void confirm()} onCancel={() => setAsking(null)}>
        <p>{asking()?.enabled
          ? `Every invoice issued to your organization from now on will be charged automatically to ${named(asking()?.cardId)}. Your wallet balance is used first.`
          : "Invoices will no longer be charged automatically; you will pay them yourself from My Invoices."}</p>
      </ConfirmDialog>
    </section>
  );
}
