import { For, Show, createEffect, createMemo, createSignal, on, onCleanup } from "solid-js";
import { createAsync, useIsRouting, useSearchParams } from "@solidjs/router";
import { currency } from "../../../worker/contract/currencies";
import { KIND_LABELS, LEDGER_KINDS } from "../../../worker/contract/wallet";
import { exportUrl, getTransactions, txParams } from "../../api/transactions";
import { AsyncView } from "../../components/AsyncView";
import { StatusBadge } from "../../components/Badge";
import { OrgPicker } from "../../components/OrgPicker";
import { PageHeader } from "../../components/PageHeader";
import { Pagination } from "../../components/Pagination";
import { DASH, formatDateTime } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";
import { money } from "../wallet/WalletPanel";
import { TransactionChart } from "./TransactionChart";

const DIRECTION_LABELS = { in: "Inbound", out: "Outbound", none: "Bookkeeping" } as const;

export default function TransactionLogs() {
  const session = useSession();
  const isRouting = useIsRouting();
  const [search, setSearch] = useSearchParams();
  const params = createMemo(() => txParams(search));
  const data = createAsync(() => getTransactions(params()));
  const isOperator = () => session().user.role === "cloud_admin" || session().user.role === "staff";
  const [text, setText] = createSignal(params().q ?? "");
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  createEffect(on(() => params().q, (q) => setText(q ?? ""), { defer: true }));
  const apply = (patch: Record<string, string | undefined>) => setSearch({ ...patch, page: undefined }, { replace: true });
  const filtered = () => Boolean(params().orgId || params().kind || params().direction || params().from || params().to || params().q);

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
            <option value="in">Inbound (income)</option>
            <option value="out">Outbound (expenses)</option>
            <option value="none">Bookkeeping</option>
          </select>
        </div>
        <div class="field">
          <label for="tx-from">From</label>
          <input id="tx-from" type="date" value={params().from ?? ""} onChange={(e) => apply({ from: e.currentTarget.value || undefined })} />
        </div>
        <div class="field">
          <label for="tx-to">To</label>
          <input id="tx-to" type="date" value={params().to ?? ""} onChange={(e) => apply({ to: e.currentTarget.value || undefined })} />
        </div>
        <div class="check">
          <input id="tx-books" type="checkbox" checked={params().bookkeeping === "true"} onChange={(e) => apply({ bookkeeping: e.currentTarget.checked ? "true" : undefined })} />
          <label for="tx-books">Show invoice issue/cancel postings</label>
        </div>
        <Show when={filtered()}>
          <div class="filter-actions">
            <button type="button" class="btn" onClick={() => { setText(""); setSearch({ orgId: undefined, kind: undefined, direction: undefined, from: undefined, to: undefined, q: undefined, page: undefined, bookkeeping: undefined }, { replace: true }); }}>Clear filters</button>
          </div>
        </Show>
      </form>

      <div class="results" aria-busy={isRouting()}>
        <AsyncView data={data} loading="Loading transactions…" resetKey={() => JSON.stringify(params())}>
          {(page) => (
            <>
              <dl class="balances" aria-label="Totals for this filter">
                <div class="balance"><dt>Income</dt><dd class="amount-in" data-testid="total-income">{money(page(), page().totals.incomeMinor)}</dd></div>
                <div class="balance"><dt>Expenses</dt><dd class="amount-out" data-testid="total-expenses">{money(page(), page().totals.expensesMinor)}</dd></div>
                <div class="balance"><dt>Net</dt><dd data-testid="total-net">{money(page(), page().totals.netMinor)}</dd></div>
                <div class="balance"><dt>Transactions</dt><dd>{page().total}</dd></div>
              </dl>
              <TransactionChart data={page()} />
              <Show when={page().items.length > 0} fallback={<p class="empty-state">{filtered() ? "No transactions match these filters." : "No transactions yet."}</p>}>
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
                            <td>{DIRECTION_LABELS[t.direction]}</td>
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
            </>
          )}
        </AsyncView>
      </div>
    </div>
  );
}
