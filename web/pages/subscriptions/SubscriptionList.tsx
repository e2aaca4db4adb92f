import { Show } from "solid-js";
import { createAsync } from "@solidjs/router";
import { SUBSCRIPTION_STATUSES } from "../../../worker/contract/catalogue";
import { hasPrivilege } from "../../../worker/contract/roles";
import { getSubscriptions, subListParams } from "../../api/subscriptions";
import { StatusBadge } from "../../components/Badge";
import { DataTable } from "../../components/DataTable";
import { FilterBar, SearchField, SelectFilter, useUrlFilters } from "../../components/FilterBar";
import { OrgPicker } from "../../components/OrgPicker";
import { ListHeader } from "../../components/ListHeader";
import { DASH, INTERVAL_LABELS, MODEL_LABELS, formatDate, sentence } from "../../format";
import { useRowEditor } from "../../forms";
import { useSession } from "../../session";
import { SubscriptionDrawer } from "./SubscriptionForm";
import { isOperatorRole } from "../../../worker/contract/policy";

export default function SubscriptionList() {
  const session = useSession();
  const filters = useUrlFilters(subListParams);
  const params = filters.params;
  const data = createAsync(() => getSubscriptions(params()));
  const isOperator = () => isOperatorRole(session().user.role);
  const canEdit = () => hasPrivilege(session().user, "billing.write");
  const editor = useRowEditor<never>(); // only "new": a subscription is edited on its own page
  const apply = filters.apply;
  const href = (id: string) => `/subscriptions/${encodeURIComponent(id)}`;

  return (
    <div class="page">
      <ListHeader title={isOperator() ? "Resource Subscriptions" : "My Subscriptions"} menu={isOperator() ? "/subscriptions" : "/my/subscriptions"}
        canCreate={canEdit()} createLabel="Create Subscription" onCreate={() => editor.open("new")} notice={editor.notice()} />
      <FilterBar label="Filter subscriptions">
        <SearchField id="sub-search" label="Search" value={params().q} onSearch={(q) => apply({ q })} />
        <Show when={session().user.role !== "customer"}>
          <OrgPicker id="sub-filter-org" label="Organization" allowAll="All organizations" value={params().orgId} onChange={(id) => apply({ orgId: id || undefined })} />
        </Show>
        <SelectFilter id="sub-filter-status" label="Status" value={params().status} onChange={(status) => apply({ status })}
          options={SUBSCRIPTION_STATUSES.map((s) => [s, s[0]!.toUpperCase() + s.slice(1)] as const)} />
        <SelectFilter id="sub-filter-model" label="Model" value={params().model} onChange={(model) => apply({ model })} options={[["fixed", "Fixed"], ["payg", "Pay-as-you-go"]]} />
      </FilterBar>
      <DataTable
        id="subs"
        caption="Resource Subscriptions"
        data={data}
        loading="Loading subscriptions…"
        filters={filters}
        empty="No subscriptions to show."
        rowHref={(s) => href(s.id)}
        noun="subscription"
        columns={[
          { header: "Name", rowHeader: true, cell: (s) => <a href={href(s.id)}>{s.name}</a> },
          { header: "Organization", cell: (s) => s.org.name },
          { header: "Plan", cell: (s) => s.contract.planName },
          { header: "Model", cell: (s) => MODEL_LABELS[s.model] },
          { header: "Billing cycle", cell: (s) => INTERVAL_LABELS[s.billingInterval] },
          { header: "Anchor", class: "nowrap", cell: (s) => formatDate(s.anchorDate) },
          { header: "Trial until", class: "nowrap", cell: (s) => (s.trialEndsAt ? formatDate(s.trialEndsAt) : DASH) },
          { header: "Resources", num: true, cell: (s) => s.resources.length },
          { header: "Status", cell: (s) => <StatusBadge status={s.status} /> },
        ]}
      />
      <Show when={editor.editing()}>
        <SubscriptionDrawer open={editor.editing() !== null} editing={null} presetOrgId={params().orgId} onClose={editor.close} onSaved={(s) => editor.saved(sentence(`${s.name} was created for ${s.org.name}`))} />
      </Show>
    </div>
  );
}
