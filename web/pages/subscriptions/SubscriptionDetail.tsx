import { For, Show, createSignal, type Accessor } from "solid-js";
import { createAsync, useParams } from "@solidjs/router";
import type { Subscription } from "../../../worker/contract/catalogue";
import { hasPrivilege } from "../../../worker/contract/roles";
import { getSubscription, getUsage } from "../../api/subscriptions";
import { AsyncView } from "../../components/AsyncView";
import { Badge, StatusBadge } from "../../components/Badge";
import { SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { Pagination } from "../../components/Pagination";
import { DASH, INTERVAL_LABELS, MODEL_LABELS, formatDate, formatDateTime, formatQuantity, formatUnitPrice } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";
import { RESOURCE_TYPE_LABELS, SubscriptionDrawer } from "./SubscriptionForm";
import { isOperatorRole } from "../../../worker/contract/policy";

export default function SubscriptionDetail() {
  const params = useParams();
  const sub = createAsync(() => getSubscription(params.id ?? ""));
  return (
    <div class="page">
      <AsyncView data={sub} loading="Loading subscription…" statusHeading="h1" resetKey={() => params.id}>
        {(s) => <SubscriptionView sub={s} />}
      </AsyncView>
    </div>
  );
}

function SubscriptionView(props: { sub: Accessor<Subscription> }) {
  const session = useSession();
  const s = props.sub;
  const isOperator = () => isOperatorRole(session().user.role);
  const canEdit = () => hasPrivilege(session().user, "billing.write");
  const [editing, setEditing] = createSignal(false);
  const [notice, setNotice] = createSignal("");
  const [usagePage, setUsagePage] = createSignal(1);
  const usage = createAsync(() => getUsage(s().id, usagePage()));
  const trail = () => [...menuPath(session(), isOperator() ? "/subscriptions" : "/my/subscriptions"), { label: s().name }];

  return (
    <>
      <PageHeader title={s().name} trail={trail()}>
        <div class="badges"><StatusBadge status={s().status} /><Badge>{MODEL_LABELS[s().model]}</Badge></div>
        <Show when={canEdit()}>
          <button type="button" class="btn btn-primary" onClick={() => { setNotice(""); setEditing(true); }}>Edit Subscription</button>
        </Show>
      </PageHeader>
      <Show when={notice()}><SuccessNotice>{notice()}</SuccessNotice></Show>
      <section class="section" aria-labelledby="sub-details-title">
        <h2 id="sub-details-title">Details</h2>
        <dl class="details">
          <div><dt>Organization</dt><dd>{session().user.role === "customer" ? s().org.name : <a href={`/organizations/${encodeURIComponent(s().org.id)}`}>{s().org.name}</a>}</dd></div>
          <div><dt>Plan (contract)</dt><dd>{s().contract.planName}<span class="cell-sub">{formatDate(s().contract.startDate)} – {s().contract.expiryDate ? formatDate(s().contract.expiryDate) : "no expiry"}</span></dd></div>
          <div><dt>Billing cycle</dt><dd>{INTERVAL_LABELS[s().billingInterval]}</dd></div>
          <div><dt>Anchor date</dt><dd>{formatDate(s().anchorDate)}</dd></div>
          <div><dt>Trial until</dt><dd>{s().trialEndsAt ? formatDate(s().trialEndsAt) : DASH}</dd></div>
          <div><dt>Invoiced through</dt><dd>{s().billedThrough ? formatDate(s().billedThrough) : "Not invoiced yet"}</dd></div>
        </dl>
      </section>
      <section class="section" aria-labelledby="sub-resources-title">
        <h2 id="sub-resources-title">Resources</h2>
        <Show when={s().resources.length > 0} fallback={<p class="empty-state">No resources attached.</p>}>
          <div class="table-wrap" role="region" aria-labelledby="sub-resources-title" tabindex="0">
            <table class="table">
              <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Region</th><th scope="col">Status</th></tr></thead>
              <tbody>
                <For each={s().resources}>{(r) => <tr><th scope="row">{r.name}</th><td>{RESOURCE_TYPE_LABELS[r.type]}</td><td>{r.region}</td><td><StatusBadge status={r.status} /></td></tr>}</For>
              </tbody>
            </table>
          </div>
        </Show>
      </section>
      <Show when={s().model === "payg"}>
        <section class="section" aria-labelledby="sub-usage-title">
          <h2 id="sub-usage-title">Usage</h2>
          <AsyncView data={usage} loading="Loading usage…">
            {(u) => (
              <Show when={u().total > 0} fallback={<p class="empty-state">No usage recorded yet.</p>}>
                <h3>Monthly totals</h3>
                <div class="table-wrap" role="region" aria-label="Monthly usage totals" tabindex="0">
                  <table class="table">
                    <caption class="sr-only">Monthly usage totals</caption>
                    <thead><tr><th scope="col">Month</th><th scope="col">Product</th><th scope="col" class="num">Quantity</th><th scope="col">Unit</th></tr></thead>
                    <tbody>
                      <For each={u().summary}>{(row) => <tr><th scope="row">{row.month}</th><td>{row.productName}</td><td class="num">{row.quantity}</td><td>{row.unit}</td></tr>}</For>
                    </tbody>
                  </table>
                </div>
                <h3>Records</h3>
                <div class="table-wrap" role="region" aria-label="Usage records" tabindex="0">
                  <table class="table">
                    <caption class="sr-only">Usage records</caption>
                    <thead><tr><th scope="col">Date</th><th scope="col">Product</th><th scope="col">Resource</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Unit price</th><th scope="col">Received</th></tr></thead>
                    <tbody>
                      <For each={u().items}>
                        {(r) => (
                          <tr>
                            <th scope="row" class="nowrap">{formatDate(r.usageDate)}</th>
                            <td>{r.product.name}</td>
                            <td>{r.resource?.name ?? DASH}</td>
                            <td class="num">{formatQuantity(r.quantity, r.product.unit)}</td>
                            <td class="num">{formatUnitPrice(r.product.unitPrice, u().currency, r.product.unit)}</td>
                            <td class="nowrap">{formatDateTime(r.createdAt)}</td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
                <Pagination page={u().page} pageSize={u().pageSize} total={u().total} noun={u().total === 1 ? "record" : "records"} onPage={setUsagePage} />
              </Show>
            )}
          </AsyncView>
        </section>
      </Show>
      <Show when={editing()}>
        <SubscriptionDrawer open={editing()} editing={s()} onClose={() => setEditing(false)} onSaved={(x) => { setEditing(false); setNotice(`${x.name} was saved.`); }} />
      </Show>
    </>
  );
}
