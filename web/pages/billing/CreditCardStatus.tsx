/**
 * Billing & Reports >> Customer Billing >> Credit Card Status: which customer and reseller organizations have a
 * card for online payment, the card's state (Active / Blocked / Expired), declines counted and the payment
 * preference; Export CSV; Unblock for billing staff (confirmed, with a reason, audited). Above the list, the card
 * health view: expiring cards, blocked cards with unpaid invoices and subscriptions at risk, with the amount at
 * stake (docs/decisions/019b-card-health-and-self-pay.md).
 */
import { For, Show, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import { CARD_STATES, CARD_STATE_LABELS, PROFILE_STATES, PROFILE_STATE_LABELS, UnblockCardInput, type CardHealthRow, type CardStatusRow } from "../../../worker/contract/card-status";
import { formatMoney } from "../../../worker/contract/money";
import { hasPrivilege } from "../../../worker/contract/roles";
import { cardStatusCsvUrl, cardStatusParams, getCardHealth, getCardStatus, unblockCard } from "../../api/card-status";
import { AsyncView } from "../../components/AsyncView";
import { Badge } from "../../components/Badge";
import { DataTable } from "../../components/DataTable";
import { FilterBar, useUrlFilters } from "../../components/FilterBar";
import { SuccessNotice } from "../../components/Notices";
import { OrgPicker } from "../../components/OrgPicker";
import { PageHeader } from "../../components/PageHeader";
import { ReasonDialog } from "../../components/ReasonDialog";
import { DASH, ORG_KIND_LABELS, formatDate } from "../../format";
import { useDialogForm } from "../../forms";
import { useSession } from "../../session";
import { zodFieldErrors } from "../../validation";

const TONE = { active: "good", blocked: "bad", expired: "warn", none: "neutral" } as const;
const card = (r: { card: CardStatusRow["card"] }) => (r.card ? `${r.card.brandLabel} •••• ${r.card.last4}` : DASH);
const expiry = (r: { card: CardStatusRow["card"] }) => (r.card ? `${String(r.card.expMonth).padStart(2, "0")}/${r.card.expYear}` : DASH);
const atStake = (r: CardHealthRow) => (r.atStake.length ? r.atStake.map((a) => formatMoney(a.minor, a.currency, a.exponent)).join(" + ") : DASH);

export default function CreditCardStatus() {
  const session = useSession();
  const filters = useUrlFilters(cardStatusParams);
  const params = filters.params;
  const data = createAsync(() => getCardStatus(params()));
  const canWrite = () => hasPrivilege(session().user, "billing.write");
  const [unblocking, setUnblocking] = createSignal<CardStatusRow | null>(null);
  const [notice, setNotice] = createSignal("");
  const exportFilter = () => ({ search: params().search, orgId: params().orgId, status: params().status, profile: params().profile });

  return (
    <div class="page">
      <PageHeader title="Credit Card Status" menu="/billing/credit-card-status" />
      <Show when={notice()}><SuccessNotice>{notice()}</SuccessNotice></Show>
      <CardHealthView />
      <FilterBar
        label="Filter organizations"
        onApply={(form) => filters.apply(filters.fromForm(form, ["search", "orgId", "status", "profile"]))}
        actions={
          <>
            <button type="submit" class="btn">Apply</button>
            <a class="btn" href={cardStatusCsvUrl(exportFilter())} download="">Export CSV</a>
          </>
        }
      >
        <div class="field">
          <label for="ccs-search">Search</label>
          <input id="ccs-search" name="search" type="search" maxLength={100} placeholder="Organization name" value={params().search ?? ""} />
        </div>
        <OrgPicker id="ccs-org" name="orgId" label="Organization" allowAll="All organizations" value={params().orgId} />
        <div class="field">
          <label for="ccs-status">Credit Card Status</label>
          <select id="ccs-status" name="status" value={params().status ?? ""}>
            <option value="">Any status</option>
            <For each={CARD_STATES}>{(s) => <option value={s}>{CARD_STATE_LABELS[s]}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="ccs-profile">Billing Profile Status</label>
          <select id="ccs-profile" name="profile" value={params().profile ?? ""}>
            <option value="">Any</option>
            <For each={PROFILE_STATES}>{(s) => <option value={s}>{PROFILE_STATE_LABELS[s]}</option>}</For>
          </select>
        </div>
      </FilterBar>
      <DataTable
        id="ccs"
        caption="Credit card status of customer and reseller organizations"
        data={data}
        loading="Loading credit card status…"
        filters={filters}
        key={(r) => r.orgId}
        empty="No customer or reseller organization yet."
        emptyFiltered="No organization matches these filters."
        noun="organization"
        rowActions={(r) => (
          <Show when={r.cardStatus === "blocked" && r.card} fallback={DASH}>
            <button type="button" class="btn btn-small" onClick={() => { setNotice(""); setUnblocking(r); }} aria-label={`Unblock the card of ${r.orgName}`}>Unblock</button>
          </Show>
        )}
        showRowActions={canWrite}
        columns={[
          { header: "Organization", rowHeader: true, cell: (r) => <>{r.orgName}<span class="cell-sub">{ORG_KIND_LABELS[r.orgKind]}</span></> },
          { header: "Billing Profile Status", cell: (r) => <Badge tone={r.profileStatus === "configured" ? "good" : "neutral"}>{PROFILE_STATE_LABELS[r.profileStatus]}</Badge> },
          { header: "Credit Card Status", cell: (r) => (r.cardStatus === "none" ? DASH : <Badge tone={TONE[r.cardStatus]}>{CARD_STATE_LABELS[r.cardStatus]}</Badge>) },
          { header: "Card", class: "nowrap", cell: card },
          { header: "Expiry", class: "nowrap", cell: expiry },
          { header: "Declines", num: true, cell: (r) => String(r.declineCount) },
          { header: "Last decline reason", cell: (r) => r.lastDeclineReason ?? DASH },
          { header: "Auto Payment", cell: (r) => (r.autoPayment ? "On" : "Off") },
          { header: "Payment", cell: (r) => (r.paymentMode === "online" ? "Online" : "Offline") },
        ]}
      />
      <UnblockDialog row={unblocking()} onClose={() => setUnblocking(null)} onDone={(m) => { setUnblocking(null); setNotice(m); }} />
    </div>
  );
}

function HealthTable(props: { id: string; title: string; rows: CardHealthRow[]; empty: string; expiry?: boolean }) {
  return (
    <section class="section" aria-labelledby={`${props.id}-title`}>
      <h3 id={`${props.id}-title`}>{props.title}</h3>
      <DataTable
        id={props.id}
        caption={props.title}
        data={() => props.rows}
        loading=""
        empty={props.empty}
        key={(r) => r.orgId}
        columns={[
          { header: "Organization", rowHeader: true, cell: (r) => <>{r.orgName}<span class="cell-sub">{ORG_KIND_LABELS[r.orgKind]}</span></> },
          { header: "Card", class: "nowrap", cell: (r) => (r.card ? <>{card(r)} <Badge tone={TONE[r.cardStatus]}>{CARD_STATE_LABELS[r.cardStatus]}</Badge></> : "No card") },
          { header: "Stops working on", class: "nowrap", when: () => Boolean(props.expiry), cell: (r) => (r.expiresOn ? formatDate(r.expiresOn) : DASH) },
          { header: "Unpaid invoices", num: true, cell: (r) => String(r.unpaidInvoices) },
          { header: "Live subscriptions", num: true, cell: (r) => String(r.runningSubscriptions) },
          { header: "Amount at stake", num: true, cell: atStake },
        ]}
      />
    </section>
  );
}

function CardHealthView() {
  const health = createAsync(() => getCardHealth());
  return (
    <section class="section" aria-labelledby="health-title">
      <h2 id="health-title">Card health</h2>
      <AsyncView data={health} loading="Loading card health…">
        {(h) => (
          <>
            <HealthTable id="health-expiring" title="Cards expiring within 30 days" rows={h().expiring} expiry empty="No card stops working in the next 30 days." />
            <HealthTable id="health-blocked" title="Blocked cards with unpaid invoices" rows={h().blockedUnpaid} empty="No blocked card has unpaid invoices." />
            <HealthTable id="health-risk" title="Subscriptions at risk" rows={h().atRisk} empty="Every organization paying online with a live subscription has a usable card." />
            <Show when={h().truncated}><p class="muted">Each list shows the {h().limit} largest amounts at stake.</p></Show>
          </>
        )}
      </AsyncView>
    </section>
  );
}

function UnblockDialog(props: { row: CardStatusRow | null; onClose: () => void; onDone: (message: string) => void }) {
  const form = useDialogForm(unblockCard, () => props.onClose());

  async function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const row = props.row;
    if (!row?.card) return;
    const input = { reason: String(form.data().get("reason") ?? "") };
    const local = zodFieldErrors(UnblockCardInput, input);
    if (local) return form.refuse(local);
    if (await form.send(row.card.id, input)) props.onDone(`The card ${card(row)} of ${row.orgName} is unblocked.`);
  }

  return (
    <ReasonDialog open={props.row !== null} title={`Unblock the card of ${props.row?.orgName ?? ""}?`} confirmLabel="Unblock" cancelLabel="Keep blocked"
      form={form} formId="unblock-form" reasonId="unblock-reason" refused="The card was not unblocked." onSubmit={onSubmit}>
      <p>{props.row ? `${card(props.row)} can be charged again; its ${props.row.declineCount} declines are cleared.` : ""}</p>
    </ReasonDialog>
  );
}
