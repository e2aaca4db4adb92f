import { Show, createEffect, createSignal, onCleanup } from "solid-js";
import { createAsync, revalidate, useAction, useNavigate, useSubmission } from "@solidjs/router";
import { formatMoney } from "../../../worker/contract/money";
import { hasPrivilege } from "../../../worker/contract/roles";
import { getBillingRuns, startBillingRun } from "../../api/billing";
import { getInvoices, invoiceListParams, invoicePdfUrl, invoicesCsvUrl } from "../../api/invoices";
import { DataTable } from "../../components/DataTable";
import { DateRangeFields, rangeError } from "../../components/DateRange";
import { StatusBadge } from "../../components/Badge";
import { FilterBar, useUrlFilters } from "../../components/FilterBar";
import { Outcome } from "../../components/Notices";
import { OrgPicker } from "../../components/OrgPicker";
import { PageHeader } from "../../components/PageHeader";
import { formatDate, formatDateTime, ORG_KIND_LABELS } from "../../format";
import { useSession } from "../../session";
import { MoreMenu } from "./InvoiceActions";
import { PayAll } from "./PayAll";
import { isOperatorRole } from "../../../worker/contract/policy";

const STATUS_LABEL = { draft: "Draft", unpaid: "Unpaid", paid: "Paid", cancelled: "Cancelled" } as const;

/** Billing & Reports » Customer Billing » Invoices (and "My Invoices" for customers and resellers). */
export default function Invoices() {
  const session = useSession();
  const filters = useUrlFilters(invoiceListParams);
  const navigate = useNavigate();
  const params = filters.params;
  // A range typed into the address the wrong way round is refused in place, like one typed into the form.
  const urlRangeError = () => rangeError(params().from, params().to);
  const page = createAsync(async () => (urlRangeError() ? undefined : getInvoices(params())));
  const [formRangeError, setFormRangeError] = createSignal("");
  const isOperator = () => isOperatorRole(session().user.role);
  const canWrite = () => hasPrivilege(session().user, "billing.write");
  const [selected, setSelected] = createSignal<string | null>(null);
  const [notice, setNotice] = createSignal("");
  const [error, setError] = createSignal<unknown>();
  const title = () => (isOperator() ? "Invoices" : "My Invoices");

  function applyFilters(form: HTMLFormElement) {
    const patch = filters.fromForm(form, ["q", "orgId", "status", "from", "to"]);
    setFormRangeError(rangeError(patch.from, patch.to));
    if (formRangeError()) return;
    filters.apply(patch);
  }

  return (
    <div class="page">
      <PageHeader title={title()} menu="/billing/invoices">
        <Show when={canWrite()}>
          <button type="button" class="btn btn-primary" onClick={() => navigate("/billing/invoices/new")}>
            Create
          </button>
        </Show>
      </PageHeader>
      <Show when={canWrite()}>
        <RunBilling onNotice={setNotice} onError={setError} />
      </Show>
      <Show when={!isOperator()}>
        <PayAll onDone={() => { setError(undefined); setNotice(""); }} onError={(e) => { setNotice(""); setError(e); }} />
      </Show>
      <Outcome notice={notice()} error={error()} title="That did not work." />
      <FilterBar
        label="Filter invoices"
        onApply={applyFilters}
        actions={
          <>
            <button type="submit" class="btn">Apply</button>
            <a class="btn" href={invoicesCsvUrl({ q: params().q, orgId: params().orgId, status: params().status, from: params().from, to: params().to })} download="">
              Export CSV
            </a>
            <Show when={selected()} fallback={<button type="button" class="btn" disabled title="Select an invoice in the list first">Export Invoice</button>}>
              {(id) => <a class="btn" href={invoicePdfUrl(id())} download="">Export Invoice</a>}
            </Show>
          </>
        }
      >
        <div class="field">
          <label for="f-q">Invoice number</label>
          <input id="f-q" name="q" type="search" maxLength={40} placeholder="e.g. INV-2026-000012" value={params().q ?? ""} />
        </div>
        <Show when={session().user.role !== "customer"}>
          <OrgPicker id="f-org" label="Organization" allowAll="All organizations" value={params().orgId} />
        </Show>
        <div class="field">
          <label for="f-status">Status</label>
          <select id="f-status" name="status" value={params().status ?? ""}>
            <option value="">Any status</option>
            <option value="unpaid">Unpaid</option>
            <option value="paid">Paid</option>
            <option value="cancelled">Cancelled</option>
          </select>
        </div>
        <DateRangeFields id="f" fromLabel="Issued from" toLabel="Issued to" names={{ from: "from", to: "to" }} from={params().from ?? ""} to={params().to ?? ""}
          error={formRangeError() || urlRangeError()} onFrom={() => setFormRangeError("")} onTo={() => setFormRangeError("")} />
      </FilterBar>
      <Show when={!urlRangeError()}>
        <DataTable
          id="inv"
          caption="Invoices"
          data={page}
          filters={filters}
          empty="No invoices yet."
          onClear={() => { setFormRangeError(""); filters.clear(); }}
          key={(inv) => inv.id}
          selection={{ name: "selected-invoice", label: (inv) => `Select invoice ${inv.number}`, selected, onSelect: setSelected }}
          rowActionsLabel="More"
          rowActions={(inv) => <MoreMenu invoice={inv} onDone={(m) => { setError(undefined); setNotice(m); }} onError={(e) => { setNotice(""); setError(e); }} />}
          showRowActions={canWrite}
          noun="invoice"
          columns={[
            { header: "Invoice", rowHeader: true, class: "nowrap", cell: (inv) => <a href={`/billing/invoices/${encodeURIComponent(inv.id)}`}>{inv.number}</a> },
            { header: "Organization", cell: (inv) => <>{inv.org.name}<div class="cell-sub muted">{ORG_KIND_LABELS[inv.org.kind]}</div></> },
            { header: "Amount", num: true, cell: (inv) => formatMoney(inv.totalMinor, inv.currency, inv.exponent) },
            { header: "Tax Rate", num: true, cell: (inv) => `${inv.taxRatePercent} %` },
            { header: "Issue Date", class: "nowrap", cell: (inv) => formatDate(inv.issueDate) },
            { header: "Due Date", class: "nowrap", cell: (inv) => formatDate(inv.dueDate) },
            { header: "Status", cell: (inv) => <StatusBadge status={STATUS_LABEL[inv.status]} /> },
          ]}
        />
      </Show>
    </div>
  );
}

/** "Run billing now" and the progress of the latest run (refreshed while it runs). */
function RunBilling(props: { onNotice: (m: string) => void; onError: (e: unknown) => void }) {
  const runs = createAsync(() => getBillingRuns());
  const start = useAction(startBillingRun);
  const starting = useSubmission(startBillingRun);
  const latest = () => runs()?.[0];
  let timer: ReturnType<typeof setInterval> | undefined;
  createEffect(() => {
    const running = latest()?.status === "running";
    if (running && !timer) {
      // Each page of a run moves the bar; pages take well under a second, so look every second.
      timer = setInterval(() => void revalidate(["billing.runs", "invoices.list"]), 1000);
    } else if (!running && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  });
  onCleanup(() => timer && clearInterval(timer));

  async function run() {
    if (starting.pending) return;
    try {
      await start();
      props.onNotice("Billing run started. Invoices appear as subscriptions are billed.");
    } catch (err) {
      props.onError(err);
    }
  }

  return (
    <section class="section" aria-labelledby="run-title">
      <div class="page-title-row">
        <h2 id="run-title">Billing run</h2>
        <button type="button" class="btn" aria-disabled={Boolean(starting.pending) || latest()?.status === "running"} onClick={() => latest()?.status !== "running" && void run()}>
          Run billing now
        </button>
      </div>
      <Show when={latest()} fallback={<p class="muted">No billing run yet. The scheduled run bills due subscriptions every day; you can also run it now.</p>}>
        {(r) => (
          <div>
            <label for="run-progress">
              {r().status === "running" ? "Running" : r().status === "completed" ? "Last run completed" : "Last run failed"} ({r().trigger === "cron" ? "scheduled" : "manual"}, as of {formatDate(r().asOf)}, started {formatDateTime(r().startedAt)})
            </label>
            <progress id="run-progress" class="progress" max={Math.max(1, r().totalSubscriptions)} value={r().status === "completed" ? Math.max(1, r().totalSubscriptions) : r().processedSubscriptions}>
              {r().processedSubscriptions} of {r().totalSubscriptions}
            </progress>
            <p class="muted" aria-live="polite">
              {r().processedSubscriptions} of {r().totalSubscriptions} subscriptions processed · {r().invoicesCreated} invoices created
              {r().invoicesPerSecond !== null ? ` · ${r().invoicesPerSecond!.toLocaleString("en-GB")} invoices/s` : ""}
              {r().error ? ` · ${r().error}` : ""}
            </p>
          </div>
        )}
      </Show>
    </section>
  );
}
