import { Show, createEffect, createSignal, on } from "solid-js";
import { createAsync } from "@solidjs/router";
import { ReceiptLink } from "../../components/ReceiptLink";
import { currency } from "../../../worker/contract/currencies";
import { KIND_LABELS, LEDGER_KINDS } from "../../../worker/contract/wallet";
import { exportUrl, getTransactions, txParams } from "../../api/transactions";
import { DataTable } from "../../components/DataTable";
import { DateRangeFields, rangeError } from "../../components/DateRange";
import { StatusBadge } from "../../components/Badge";
import { FilterBar, SearchField, SelectFilter, useUrlFilters } from "../../components/FilterBar";
import { OrgPicker } from "../../components/OrgPicker";
import { PageHeader } from "../../components/PageHeader";
import { DASH, formatDateTime } from "../../format";
import { useSession } from "../../session";
import { money } from "../wallet/WalletPanel";
import { TransactionChart } from "./TransactionChart";
import { isOperatorRole } from "../../../worker/contract/policy";

/**
 * Words from the reader's side. The operator receives money (income) and pays it back (expenses); a customer or
 * reseller sees the same transactions as their payments and credits, and what came back to them or expired.
 */
export const PERSPECTIVE = {
  operator: {
    in: "Income", out: "Expenses", dirIn: "Inbound", dirOut: "Outbound",
    filterIn: "Inbound (income)", filterOut: "Outbound (expenses)",
  },
  tenant: {
    in: "Payments and credits", out: "Refunds and expired credit", dirIn: "Payment or credit", dirOut: "Refund or expiry",
    filterIn: "Payments and credits", filterOut: "Refunds and expired credit",
  },
} as const;
export type Perspective = (typeof PERSPECTIVE)[keyof typeof PERSPECTIVE];

export default function TransactionLogs() {
  const session = useSession();
  const filters = useUrlFilters(txParams);
  const params = filters.params;
  const apply = filters.apply;
  // A range typed into the address the wrong way round is refused in place, like one typed into the form.
  const urlRangeError = () => rangeError(params().from, params().to);
  const data = createAsync(async () => (urlRangeError() ? undefined : getTransactions(params())));
  const [range, setRange] = createSignal({ from: params().from ?? "", to: params().to ?? "" });
  // Back/Forward and "Clear filters" move the fields; only the end that changed in the address, so a date being
  // typed into the other one is not lost while the first one's change is still on its way to the address.
  createEffect(on(() => [params().from, params().to] as const, ([from, to], prev) => {
    if (from !== prev?.[0]) setRange({ ...range(), from: from ?? "" });
    if (to !== prev?.[1]) setRange({ ...range(), to: to ?? "" });
  }, { defer: true }));
  const draftRangeError = () => rangeError(range().from || undefined, range().to || undefined);
  /** From/To apply as soon as they are in order; until then the list stays as it was and "To" says why. */
  const editRange = (patch: Partial<{ from: string; to: string }>) => {
    const next = { ...range(), ...patch };
    setRange(next);
    if (!rangeError(next.from || undefined, next.to || undefined)) apply({ from: next.from || undefined, to: next.to || undefined });
  };
  const isOperator = () => isOperatorRole(session().user.role);
  const words = (): Perspective => (isOperator() ? PERSPECTIVE.operator : PERSPECTIVE.tenant);

  return (
    <div class="page">
      <PageHeader title={isOperator() ? "Transaction Logs" : "My Transactions"} menu={isOperator() ? "/transactions" : "/my/transactions"}>
        <a class="btn" href={exportUrl(params())} download="">Export CSV</a>
      </PageHeader>
      <FilterBar
        label="Filter transactions"
        actions={<Show when={filters.active()}><button type="button" class="btn" onClick={filters.clear}>Clear filters</button></Show>}
      >
        <SearchField id="tx-search" label="Search reference" value={params().q} onSearch={(q) => apply({ q })} />
        <Show when={session().user.role !== "customer"}>
          <OrgPicker id="tx-org" label="Organization" allowAll="All organizations" value={params().orgId} onChange={(id) => apply({ orgId: id || undefined })} />
        </Show>
        <SelectFilter id="tx-kind" label="Type" all="All money movements" value={params().kind} options={LEDGER_KINDS.map((k) => [k, KIND_LABELS[k]] as const)} onChange={(kind) => apply({ kind })} />
        <SelectFilter id="tx-direction" label="Direction" value={params().direction} options={[["in", words().filterIn], ["out", words().filterOut], ["none", "Bookkeeping"]]} onChange={(direction) => apply({ direction })} />
        <DateRangeFields id="tx" from={range().from} to={range().to} error={draftRangeError() || urlRangeError()} onFrom={(from) => editRange({ from })} onTo={(to) => editRange({ to })} />
        <div class="check">
          <input id="tx-books" type="checkbox" checked={params().bookkeeping === "true"} onChange={(e) => apply({ bookkeeping: e.currentTarget.checked ? undefined : "false" })} />
          <label for="tx-books">Show invoice issue/cancel postings</label>
        </div>
      </FilterBar>

      <Show when={!urlRangeError()}>
        <DataTable
          id="tx"
          caption="Transactions"
          data={data}
          filters={filters}
          // Nothing to show is said once; totals and chart appear only when there is something to add up.
          empty="No transactions yet."
          before={() => <Totals page={data()!} words={words()} />}
          noun="transaction"
          columns={[
            { header: "Date", rowHeader: true, class: "nowrap", cell: (t) => formatDateTime(t.createdAt) },
            { header: "Organization", when: () => session().user.role !== "customer", cell: (t) => t.org.name },
            { header: "Type", cell: (t) => <>{KIND_LABELS[t.kind]}<Show when={t.invoiceNumber}><span class="cell-sub">{t.invoiceNumber}</span></Show></> },
            { header: "Direction", cell: (t) => (t.direction === "in" ? words().dirIn : t.direction === "out" ? words().dirOut : "Bookkeeping") },
            { header: "Amount", num: true, cell: (t) => <Amount t={t} /> },
            { header: "Reference", cell: (t) => t.reference ?? DASH },
            { header: "Description", cell: (t) => t.description ?? DASH },
            { header: "Status", cell: (t) => <StatusBadge status={t.status} /> },
            { header: "By", cell: (t) => t.actor ?? DASH },
            { header: "Receipt", cell: (t) => (t.paymentId && t.status === "completed" ? <ReceiptLink paymentId={t.paymentId} label="Receipt" /> : DASH) },
          ]}
        />
      </Show>
    </div>
  );
}

type TxPage = NonNullable<Awaited<ReturnType<typeof getTransactions>>>;

/** The totals of the filter and its chart, above the table. */
function Totals(props: { page: TxPage; words: Perspective }) {
  return (
    <>
      <dl class="balances" aria-label="Totals for this filter">
        <div class="balance"><dt>{props.words.in}</dt><dd class="amount-in" data-testid="total-income">{money(props.page, props.page.totals.incomeMinor)}</dd></div>
        <div class="balance"><dt>{props.words.out}</dt><dd class="amount-out" data-testid="total-expenses">{money(props.page, props.page.totals.expensesMinor)}</dd></div>
        <div class="balance"><dt>Net</dt><dd data-testid="total-net">{money(props.page, props.page.totals.netMinor)}</dd></div>
        <div class="balance"><dt>Transactions</dt><dd>{props.page.total}</dd></div>
      </dl>
      <TransactionChart data={props.page} words={props.words} />
    </>
  );
}

/** A signed amount, coloured by direction (the cell itself is right-aligned by the column). */
function Amount(props: { t: TxPage["items"][number] }) {
  const t = props.t;
  return (
    <span class={`nowrap ${t.direction === "in" ? "amount-in" : t.direction === "out" ? "amount-out" : ""}`}>
      {t.direction === "out" ? "−" : t.direction === "in" ? "+" : ""}{money({ currency: t.currency, exponent: currency(t.currency).exponent }, t.amountMinor)}
    </span>
  );
}
