import { Show, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import { formatMoney, MAX_AMOUNT_TEXT } from "../../../worker/contract/money";
import { ApiError } from "../../api/client";
import { hasPrivilege } from "../../../worker/contract/roles";
import { creditAmountMinor, creditAmountProblem, type Wallet } from "../../../worker/contract/wallet";
import { allocateFreeCredit, getWallet, topUp } from "../../api/wallet";
import { AsyncView } from "../../components/AsyncView";
import { StatusBadge } from "../../components/Badge";
import { DataTable } from "../../components/DataTable";
import { ConfirmDialog } from "../../components/Dialog";
import { FormDrawer } from "../../components/FormDrawer";
import { Field, describedBy } from "../../components/Field";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { formatDate, formatDateTime } from "../../format";
import { newRequestKey, useFormAction } from "../../forms";
import { useSession } from "../../session";

export const money = (w: { currency: string; exponent: number }, minor: number | bigint) => formatMoney(minor, w.currency, w.exponent);

/** An organization's wallet: balances, the actions "Top Up" and "Allocate Free Credit", and the free-credit grants. */
export function WalletPanel(props: { orgId: string; headingLevel?: "h2" | "h3"; showGrants?: boolean }) {
  const session = useSession();
  const wallet = createAsync(() => getWallet(props.orgId));
  const canCredit = () => hasPrivilege(session().user, "billing.write");
  const [drawer, setDrawer] = createSignal<"topup" | "free" | null>(null);
  const [notice, setNotice] = createSignal("");
  return (
    <section class="section" aria-labelledby={`wallet-${props.orgId}`}>
      <div class="page-title-row">
        <h2 id={`wallet-${props.orgId}`}>Wallet</h2>
        <Show when={canCredit()}>
          <button type="button" class="btn" onClick={() => { setNotice(""); setDrawer("topup"); }}>Top Up</button>
          <button type="button" class="btn" onClick={() => { setNotice(""); setDrawer("free"); }}>Allocate Free Credit</button>
        </Show>
      </div>
      <Show when={notice()}><SuccessNotice>{notice()}</SuccessNotice></Show>
      <AsyncView data={wallet} loading="Loading wallet…">
        {(w) => (
          <>
            <dl class="balances">
              <div class="balance"><dt>Paid credit</dt><dd data-testid="balance-paid">{money(w(), w().paidMinor)}</dd></div>
              <div class="balance"><dt>Free credit</dt><dd data-testid="balance-free">{money(w(), w().freeMinor)}</dd></div>
              <div class="balance"><dt>Total available</dt><dd data-testid="balance-total">{money(w(), w().totalMinor)}</dd></div>
            </dl>
            <p class="muted">Invoices paid from the wallet use free credit first (soonest-expiring first), then paid credit. Paid credit never expires.</p>
            <Show when={props.showGrants !== false && w().grants.length > 0}>
              <h3>Free credit grants</h3>
              <DataTable
                id={`grants-${props.orgId}`}
                caption="Free credit grants"
                data={() => w().grants}
                loading="Loading grants…"
                empty="No free credit grants."
                columns={[
                  { header: "Granted", rowHeader: true, class: "nowrap", cell: (g) => formatDateTime(g.createdAt) },
                  { header: "Amount", num: true, cell: (g) => money(w(), g.amountMinor) },
                  { header: "Remaining", num: true, cell: (g) => money(w(), g.remainingMinor) },
                  { header: "Usable until", class: "nowrap", cell: (g) => (g.expiresAt ? formatDate(g.expiresAt) : "No expiry") },
                  { header: "Status", cell: (g) => <StatusBadge status={g.status} /> },
                ]}
              />
            </Show>
            <Show when={drawer()}>
              <CreditDrawer kind={drawer()!} wallet={w()} onClose={() => setDrawer(null)} onSaved={(text) => { setDrawer(null); setNotice(text); }} />
            </Show>
          </>
        )}
      </AsyncView>
    </section>
  );
}

function CreditDrawer(props: { kind: "topup" | "free"; wallet: Wallet; onClose: () => void; onSaved: (text: string) => void }) {
  const isTopUp = props.kind === "topup";
  const form = isTopUp ? useFormAction(topUp) : useFormAction(allocateFreeCredit);
  const requestKey = newRequestKey();
  let formEl!: HTMLFormElement;
  const err = (f: string) => form.fieldError(f);
  const w = props.wallet;
  const step = w.exponent ? `0.${"0".repeat(w.exponent - 1)}1` : "1";

  const [confirming, setConfirming] = createSignal<null | { amount: string; reference: string; description: string; expiresAt: string | null }>(null);

  function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(formEl);
    const amount = String(data.get("amount") ?? "").trim();
    // The server's rule, checked here first so a typo costs no round trip: exact decimal, > 0, currency decimals,
    // at most the storable maximum.
    const problem = creditAmountProblem(amount, w.exponent);
    if (problem) return void form.refuse(new ApiError(400, "VALIDATION_FAILED", "Some fields are invalid.", "", { amount: problem }));
    form.reset();
    // Money moves: say exactly what will happen and ask once more.
    setConfirming({ amount, reference: String(data.get("reference") ?? ""), description: String(data.get("description") ?? ""), expiresAt: String(data.get("expiresAt") ?? "") || null });
  }

  async function confirm() {
    const c = confirming();
    if (!c) return;
    const saved = await form.submit(
      w.org.id,
      isTopUp
        ? { amount: c.amount, reference: c.reference, description: c.description, requestKey }
        : { amount: c.amount, expiresAt: c.expiresAt, description: c.description, requestKey },
    );
    setConfirming(null);
    if (saved) props.onSaved(`${isTopUp ? "Top-up" : "Free credit"} of ${w.currency} ${c.amount} added to ${w.org.name}'s wallet. The primary contact is notified by email.`);
  }

  // Exactly the amount typed: BigInt all the way (a JS number would round amounts beyond 2^53).
  const confirmAmount = () => {
    const c = confirming();
    return c && !creditAmountProblem(c.amount, w.exponent) ? money(w, creditAmountMinor(c.amount, w.exponent)) : "";
  };

  return (
    <FormDrawer open title={isTopUp ? "Top Up" : "Allocate Free Credit"} formId="credit-form" submitLabel={isTopUp ? "Top Up" : "Allocate"} pending={form.pending()} onClose={() => props.onClose()}>
      <form id="credit-form" ref={formEl} novalidate onSubmit={onSubmit}>
        <p class="muted">{w.org.name} · wallet in {w.currency}</p>
        <Show when={form.error()}><ErrorNotice error={form.error()} title="Nothing was credited." /></Show>
        <Field id="credit-amount" label={`Amount (${w.currency})`} error={err("amount")} hint={`Up to ${w.exponent} decimals, at most ${MAX_AMOUNT_TEXT}.`}>
          <input id="credit-amount" name="amount" inputmode="decimal" step={step} aria-invalid={err("amount") ? true : undefined} aria-describedby={describedBy("credit-amount", err("amount"), true)} />
        </Field>
        <Show when={isTopUp}>
          <Field id="credit-reference" label="Transaction Reference (optional)" error={err("reference")} hint="e.g. the bank transfer's reference.">
            <input id="credit-reference" name="reference" maxlength="100" aria-invalid={err("reference") ? true : undefined} aria-describedby={describedBy("credit-reference", err("reference"), true)} />
          </Field>
        </Show>
        <Show when={!isTopUp}>
          <Field id="credit-expires" label="Usable until (optional)" error={err("expiresAt")} hint="The last day the credit can be used; it expires the day after. Leave empty for no expiry.">
            <input id="credit-expires" name="expiresAt" type="date" aria-invalid={err("expiresAt") ? true : undefined} aria-describedby={describedBy("credit-expires", err("expiresAt"), true)} />
          </Field>
        </Show>
        <Field id="credit-description" label="Description (optional)" error={err("description")}>
          <input id="credit-description" name="description" maxlength="300" aria-invalid={err("description") ? true : undefined} aria-describedby={describedBy("credit-description", err("description"))} />
        </Field>
      </form>
      <ConfirmDialog
        open={confirming() !== null}
        title={isTopUp ? "Confirm top-up" : "Confirm free credit"}
        confirmLabel={isTopUp ? `Add ${confirmAmount()}` : `Allocate ${confirmAmount()}`}
        pending={form.pending()}
        onConfirm={() => void confirm()}
        onCancel={() => setConfirming(null)}
      >
        <p>
          {isTopUp
            ? `${confirmAmount()} of paid credit will be added to ${w.org.name}'s wallet and recorded as money received.`
            : `${confirmAmount()} of free credit will be added to ${w.org.name}'s wallet${confirming()?.expiresAt ? `, usable until ${formatDate(confirming()!.expiresAt)}` : " with no expiry"}.`}{" "}
          Ledger entries cannot be deleted; a mistake is corrected with a new transaction.
        </p>
      </ConfirmDialog>
    </FormDrawer>
  );
}
