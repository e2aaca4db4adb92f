import { For, Show, createEffect, createMemo, createSignal, on, onCleanup } from "solid-js";
import { createAsync, useIsRouting, useSearchParams } from "@solidjs/router";
import { currency } from "../../../worker/contract/currencies";
import { KIND_LABELS, LEDGER_KINDS } from "../../../worker/contract/wallet";
import { exportUrl, getTransactions, txParams } from "../../api/transactions";
import { AsyncView } from "../../components/AsyncView";
import { DateRangeFields, rangeError } from "../../components/DateRange";
import { StatusBadge } from "../../components/Badge";
import { OrgPicker } from "../../components/OrgPicker";
import { PageHeader } from "../../components/PageHeader";
import { Pagination } from "../../components/Pagination";
import { DASH, formatDateTime } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";
import { money } from "../wallet/WalletPanel";
import { TransactionChart } from "./TransactionChart";

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
  const isRouting = useIsRouting();
  const [search, setSearch] = useSearchParams();
  const params = createMemo(() => txParams(search));
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
  const isOperator = () => session().user.role === "cloud_admin" || session().user.role === "staff";
  const words = (): Perspective => (isOperator() ? PERSPECTIVE.operator : PERSPECTIVE.tenant);
  const [text, setText] = createSignal(params().q ?? "");
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  createEffect(on(() => params().q, (q) => setText(q ?? ""), { defer: true }));
  const apply = (patch: Record<string, string | undefined>) => setSearch({ ...patch, page: undefined }, { replace: true });
  const filtered = () => Boolean(params().orgId || params().kind || params().direction || params().from || params().to || params().q || params().bookkeeping === "false");

  return (
    <div class="page">
      <PageHeader title={isOperator() ? "Transaction Logs" : "My Transactions"} trail={menuPath(session(), isOperator() ? "/transactions" : "/my/transactions")}>
        <a class="btn" href={exportUrl(params())} download="">Export CSV</a>
      </PageHeader>
      <form class="filters" role="search" aria-label="Filter transactions" onSubmit={(e) => { e.preventDefault(); apply({ q: text().trim() || undefined }); }}>
        <div class="field">
          <label for="tx-search">Search reference</label>
          <input id="tx-search" type="search" value={text()} onInput={(e) => { const v = e.currentTarget.value; setText(v); clearTimeout(timer); timer = setTimeout(() => apply({ q: v.trim() || undefined }), 300); }} />
        </div>
        <Show when={session().user.role !== "customer"}>
          <OrgPicker id="tx-org" label="Organization" allowAll="All organizations" value={params().orgId} onChange={(id) => apply({ orgId: id || undefined })} />
        </Show>
        <div class="field">
          <label for="tx-kind">Type</label>
          <select id="tx-kind" value={params().kind ?? ""} onChange={(e) => apply({ kind: e.currentTarget.value || undefined })}>
            <option value="">All money movements</option>
            <For each={LEDGER_KINDS}>{(k) => <option value={k}>{KIND_LABELS[k]}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="tx-direction">Direction</label>
          <select id="tx-direction" value={params().direction ?? ""} onChange={(e) => apply({ direction: e.currentTarget.value || undefined })}>
            <option value="">All</option>
            <option value="in">{words().filterIn}</option>
            <option value="out">{words().filterOut}</option>
            <option value="none">Bookkeeping</option>
          </select>
        </div>
        <DateRangeFields id="tx" from={range().from} to={range().to} error={draftRangeError() || urlRangeError()} onFrom={(from) => editRange({ from })} onTo={(to) => editRange({ to })} />
        <div class="check">
          <input id="tx-books" type="checkbox" checked={params().bookkeeping === "true"} onChange={(e) => apply({ bookkeeping: e.currentTarget.checked ? undefined : "false" })} />
          <label for="tx-books">Show invoice issue/cancel postings</label>
        </div>
        <Show when={filtered()}>
          <div class="filter-actions">
            <button type="button" class="btn" onClick={() => { setText(""); setSearch({ orgId: undefined, kind: undefined, direction: undefined, from: undefined, to: undefined, q: undefined, page: undefined, bookkeeping: undefined }, { replace: true }); }}>Clear filters</button>
          </div>
        </Show>
      </form>

      <div class="results" aria-busy={isRouting()}>
        <Show when={!urlRangeError()}>
        <AsyncView data={data} loading="Loading transactions…" resetKey={() => JSON.stringify(params())}>
          {(page) => (
            // Nothing to show is said once; totals and chart appear only when there is something to add up.
            <Show when={page().items.length > 0} fallback={<p class="empty-state">{filtered() ? "No transactions match these filters." : "No transactions yet."}</p>}>
              <dl class="balances" aria-label="Totals for this filter">
                <div class="balance"><dt>{words().in}</dt><dd class="amount-in" data-testid="total-income">{money(page(), page().totals.incomeMinor)}</dd></div>
                <div class="balance"><dt>{words().out}</dt><dd class="amount-out" data-testid="total-expenses">{money(page(), page().totals.expensesMinor)}</dd></div>
                <div class="balance"><dt>Net</dt><dd data-testid="total-net">{money(page(), page().totals.netMinor)}</dd></div>
                <div class="balance"><dt>Transactions</dt><dd>{page().total}</dd></div>
              </dl>
              <TransactionChart data={page()} words={words()} />
                <div class="table-wrap" role="region" aria-labelledby="tx-caption" tabindex="0">
                  <table class="table">
                    <caption id="tx-caption" class="sr-only">Transactions</caption>
                    <thead>
                      <tr>
                        <th scope="col">Date</th>
                        <Show when={session().user.role !== "customer"}><th scope="col">Organization</th></Show>
                        <th scope="col">Type</th>
                        <th scope="col">Direction</th>
                        <th scope="col" class="num">Amount</th>
                        <th scope="col">Reference</th>
                        <th scope="col">Description</th>
                        <th scope="col">Status</th>
                        <th scope="col">By</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={page().items}>
                        {(t) => (
                          <tr>
                            <th scope="row" class="nowrap">{formatDateTime(t.createdAt)}</th>
                            <Show when={session().user.role !== "customer"}><td>{t.org.name}</td></Show>
                            <td>{KIND_LABELS[t.kind]}<Show when={t.invoiceNumber}><span class="cell-sub">{t.invoiceNumber}</span></Show></td>
                            <td>{t.direction === "in" ? words().dirIn : t.direction === "out" ? words().dirOut : "Bookkeeping"}</td>
                            <td class={`num nowrap ${t.direction === "in" ? "amount-in" : t.direction === "out" ? "amount-out" : ""}`}>
                              {t.direction === "out" ? "−" : t.direction === "in" ? "+" : ""}{money({ currency: t.currency, exponent: currency(t.currency).exponent }, t.amountMinor)}
                            </td>
                            <td>{t.reference ?? DASH}</td>
                            <td>{t.description ?? DASH}</td>
                            <td><StatusBadge status={t.status} /></td>
                            <td>{t.actor ?? DASH}</td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
                <Pagination page={page().page} pageSize={page().pageSize} total={page().total} noun={page().total === 1 ? "transaction" : "transactions"} onPage={(p) => setSearch({ page: p > 1 ? String(p) : undefined })} />
            </Show>
          )}
        </AsyncView>
        </Show>
      </div>
    </div>
  );
}
