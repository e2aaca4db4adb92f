import { For, Show } from "solid-js";
import { createAsync } from "@solidjs/router";
import { ContractInput, type Contract } from "../../../worker/contract/catalogue";
import { hasPrivilege } from "../../../worker/contract/roles";
import { contractListParams, getContracts, getPlans, saveContract } from "../../api/catalogue";
import { DataTable } from "../../components/DataTable";
import { FilterBar, SelectFilter, useUrlFilters } from "../../components/FilterBar";
import { StatusBadge } from "../../components/Badge";
import { FormDrawer } from "../../components/FormDrawer";
import { Field, describedBy } from "../../components/Field";
import { ErrorNotice } from "../../components/Notices";
import { OrgPicker } from "../../components/OrgPicker";
import { ListHeader } from "../../components/ListHeader";
import { DASH, ORG_KIND_LABELS, formatDate } from "../../format";
import { useRowDrawer, useRowEditor } from "../../forms";
import { useSession } from "../../session";
import { isOperatorRole } from "../../../worker/contract/policy";

export default function Contracts() {
  const session = useSession();
  const filters = useUrlFilters(contractListParams);
  const params = filters.params;
  const data = createAsync(() => getContracts(params()));
  const isOperator = () => isOperatorRole(session().user.role);
  const canEdit = () => hasPrivilege(session().user, "billing.write");
  const editor = useRowEditor<Contract>();
  const href = () => (isOperator() ? "/catalogue/contracts" : "/my/contracts");

  return (
    <div class="page">
      <ListHeader title={isOperator() ? "Contracts" : "My Contracts"} menu={href()} canCreate={canEdit()} createLabel="Create Contract" onCreate={() => editor.open("new")} notice={editor.notice()} />
      <FilterBar label="Filter contracts">
        <Show when={session().user.role !== "customer"}>
          <OrgPicker id="contract-filter-org" label="Organization" allowAll="All organizations" value={params().orgId} onChange={(id) => filters.apply({ orgId: id || undefined })} />
        </Show>
        <SelectFilter id="contract-filter-status" label="Status" value={params().status} onChange={(status) => filters.apply({ status })}
          options={[["active", "Active"], ["expired", "Expired"], ["cancelled", "Cancelled"]]} />
      </FilterBar>
      <DataTable
        id="contracts"
        caption="Contracts"
        data={data}
        filters={filters}
        empty="No contracts to show."
        noun="contract"
        rowActionsClass="row-actions"
        showRowActions={canEdit}
        rowActions={(c) => (
          <button type="button" class="btn btn-small" aria-label={`Edit contract of ${c.org.name} (${c.plan.name})`} onClick={() => editor.open(c)}>Edit</button>
        )}
        columns={[
          { header: "Organization", rowHeader: true, cell: (c) => <>{c.org.name}<span class="cell-sub">{ORG_KIND_LABELS[c.org.kind]}</span></> },
          { header: "Plan", cell: (c) => c.plan.name },
          { header: "Start", class: "nowrap", cell: (c) => formatDate(c.startDate) },
          { header: "Expiry", class: "nowrap", cell: (c) => (c.expiryDate ? formatDate(c.expiryDate) : DASH) },
          { header: "Subscriptions", num: true, cell: (c) => c.subscriptionCount },
          { header: "Status", cell: (c) => <StatusBadge status={c.status} /> },
        ]}
      />
      <Show when={canEdit()}>
        <ContractDrawer editing={editor.editing()} onClose={editor.close} onSaved={(c, created) => editor.saved(`The contract for ${c.org.name} (${c.plan.name}) was ${created ? "created" : "saved"}.`)} />
      </Show>
    </div>
  );
}

function ContractDrawer(props: { editing: Contract | "new" | null; onClose: () => void; onSaved: (c: Contract, created: boolean) => void }) {
  const plans = createAsync(() => getPlans());
  const { form, current, err, ref, onSubmit, close } = useRowDrawer(props, saveContract, ContractInput, (data, contract) => ({
    orgId: contract?.org.id ?? String(data.get("orgId") ?? ""),
    planId: String(data.get("planId") ?? ""),
    startDate: String(data.get("startDate") ?? ""),
    expiryDate: String(data.get("expiryDate") ?? "") || null,
    status: String(data.get("status") ?? "") as "active",
  }));

  return (
    <FormDrawer open={props.editing !== null} title={current() ? "Edit Contract" : "Create Contract"} formId="contract-form" submitLabel={current() ? "Save" : "Create"} pending={form.pending()} onClose={close}>
      <form id="contract-form" ref={ref} novalidate onSubmit={onSubmit}>
        <Show when={form.error()}><ErrorNotice error={form.error()} title="The contract was not saved." /></Show>
        <Show when={current()} fallback={<OrgPicker id="contract-org" label="Customer or reseller" error={err("orgId")} />}>
          {(c) => (
            <div class="field">
              <span class="label">Organization</span>
              <p>{c().org.name} <span class="muted">(a contract stays with its organization)</span></p>
            </div>
          )}
        </Show>
        <Field id="contract-plan" label="Plan" error={err("planId")}>
          <select id="contract-plan" name="planId" value={current()?.plan.id ?? ""} aria-invalid={err("planId") ? true : undefined} aria-describedby={describedBy("contract-plan", err("planId"))}>
            <option value="">Choose…</option>
            <For each={plans() ?? []}>{(p) => <option value={p.id} selected={p.id === current()?.plan.id} disabled={p.status !== "active" && p.id !== current()?.plan.id}>{p.name}{p.status !== "active" ? " (retired)" : ""}</option>}</For>
          </select>
        </Field>
        <Field id="contract-start" label="Start date" error={err("startDate")}>
          <input id="contract-start" name="startDate" type="date" value={current()?.startDate ?? new Date().toISOString().slice(0, 10)} aria-invalid={err("startDate") ? true : undefined} aria-describedby={describedBy("contract-start", err("startDate"))} />
        </Field>
        <Field id="contract-expiry" label="Expiry date (optional)" error={err("expiryDate")}>
          <input id="contract-expiry" name="expiryDate" type="date" value={current()?.expiryDate ?? ""} aria-invalid={err("expiryDate") ? true : undefined} aria-describedby={describedBy("contract-expiry", err("expiryDate"))} />
        </Field>
        <Field id="contract-status" label="Status" error={err("status")}>
          <select id="contract-status" name="status" value={current()?.status ?? "active"}>
            <option value="active">Active</option>
            <option value="expired">Expired</option>
            <option value="cancelled">Cancelled</option>
          </select>
        </Field>
      </form>
    </FormDrawer>
  );
}
