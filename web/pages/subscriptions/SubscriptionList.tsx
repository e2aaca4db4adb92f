import { For, Show, createEffect, createMemo, createSignal, on, onCleanup } from "solid-js";
import { createAsync, useNavigate, useSearchParams } from "@solidjs/router";
import { hasPrivilege } from "../../../worker/contract/roles";
import { getSubscriptions, subListParams } from "../../api/subscriptions";
import { AsyncView } from "../../components/AsyncView";
import { StatusBadge } from "../../components/Badge";
import { SuccessNotice } from "../../components/Notices";
import { OrgPicker } from "../../components/OrgPicker";
import { PageHeader } from "../../components/PageHeader";
import { Pagination } from "../../components/Pagination";
import { DASH, INTERVAL_LABELS, MODEL_LABELS, formatDate, sentence } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";
import { SubscriptionDrawer } from "./SubscriptionForm";

export default function SubscriptionList() {
  const session = useSession();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const params = createMemo(() => subListParams(search));
  const data = createAsync(() => getSubscriptions(params()));
  const isOperator = () => session().user.role === "cloud_admin" || session().user.role === "staff";
  const canEdit = () => hasPrivilege(session().user, "billing.write");
  const [creating, setCreating] = createSignal(false);
  const [notice, setNotice] = createSignal("");
  const [text, setText] = createSignal(params().q ?? "");
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  createEffect(on(() => params().q, (q) => setText(q ?? ""), { defer: true }));
  const apply = (patch: Record<string, string | undefined>) => setSearch({ ...patch, page: undefined }, { replace: true });

  return (
    <div class="page">
      <PageHeader title={isOperator() ? "Resource Subscriptions" : "My Subscriptions"} trail={menuPath(session(), isOperator() ? "/subscriptions" : "/my/subscriptions")}>
        <Show when={canEdit()}>
          <button type="button" class="btn btn-primary" onClick={() => { setNotice(""); setCreating(true); }}>Create Subscription</button>
        </Show>
      </PageHeader>
      <Show when={notice()}><SuccessNotice>{notice()}</SuccessNotice></Show>
      <form class="filters" role="search" aria-label="Filter subscriptions" onSubmit={(e) => { e.preventDefault(); apply({ q: text().trim() || undefined }); }}>
        <div class="field">
          <label for="sub-search">Search</label>
          <input id="sub-search" type="search" value={text()} onInput={(e) => { const v = e.currentTarget.value; setText(v); clearTimeout(timer); timer = setTimeout(() => apply({ q: v.trim() || undefined }), 300); }} />
        </div>
        <Show when={session().user.role !== "customer"}>
          <OrgPicker id="sub-filter-org" label="Organization" allowAll="All organizations" value={params().orgId} onChange={(id) => apply({ orgId: id || undefined })} />
        </Show>
        <div class="field">
          <label for="sub-filter-status">Status</label>
          <select id="sub-filter-status" value={params().status ?? ""} onChange={(e) => apply({ status: e.currentTarget.value || undefined })}>
            <option value="">All</option>
            <For each={["trial", "live", "suspended", "cancelled", "terminated"]}>{(s) => <option value={s}>{s[0]!.toUpperCase() + s.slice(1)}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="sub-filter-model">Model</label>
          <select id="sub-filter-model" value={params().model ?? ""} onChange={(e) => apply({ model: e.currentTarget.value || undefined })}>
            <option value="">All</option>
            <option value="fixed">Fixed</option>
            <option value="payg">Pay-as-you-go</option>
          </select>
        </div>
      </form>
      <AsyncView data={data} loading="Loading subscriptions…" resetKey={() => JSON.stringify(params())}>
        {(page) => (
          <Show when={page().items.length > 0} fallback={<p class="empty-state">No subscriptions to show.</p>}>
            <div class="table-wrap" role="region" aria-labelledby="subs-caption" tabindex="0">
              <table class="table">
                <caption id="subs-caption" class="sr-only">Resource Subscriptions</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Organization</th>
                    <th scope="col">Plan</th>
                    <th scope="col">Model</th>
                    <th scope="col">Billing cycle</th>
                    <th scope="col">Anchor</th>
                    <th scope="col">Trial until</th>
                    <th scope="col" class="num">Resources</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={page().items}>
                    {(s) => (
                      <tr class="row-link" onClick={(e) => { if (!(e.target as Element).closest("a, button")) navigate(`/subscriptions/${encodeURIComponent(s.id)}`); }}>
                        <th scope="row"><a href={`/subscriptions/${encodeURIComponent(s.id)}`}>{s.name}</a></th>
                        <td>{s.org.name}</td>
                        <td>{s.contract.planName}</td>
                        <td>{MODEL_LABELS[s.model]}</td>
                        <td>{INTERVAL_LABELS[s.billingInterval]}</td>
                        <td class="nowrap">{formatDate(s.anchorDate)}</td>
                        <td class="nowrap">{s.trialEndsAt ? formatDate(s.trialEndsAt) : DASH}</td>
                        <td class="num">{s.resources.length}</td>
                        <td><StatusBadge status={s.status} /></td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <Pagination page={page().page} pageSize={page().pageSize} total={page().total} noun={page().total === 1 ? "subscription" : "subscriptions"} onPage={(p) => setSearch({ page: p > 1 ? String(p) : undefined })} />
          </Show>
        )}
      </AsyncView>
      <Show when={creating()}>
        <SubscriptionDrawer open={creating()} editing={null} presetOrgId={params().orgId} onClose={() => setCreating(false)} onSaved={(s) => { setCreating(false); setNotice(sentence(`${s.name} was created for ${s.org.name}`)); }} />
      </Show>
    </div>
  );
}
