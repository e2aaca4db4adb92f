import { For, Show } from "solid-js";
import { createAsync } from "@solidjs/router";
import { PlanInput, type Plan } from "../../../worker/contract/catalogue";
import { hasPrivilege } from "../../../worker/contract/roles";
import { getPlans, getProducts, savePlan } from "../../api/catalogue";
import { DataTable } from "../../components/DataTable";
import { StatusBadge } from "../../components/Badge";
import { FormDrawer } from "../../components/FormDrawer";
import { Field, describedBy } from "../../components/Field";
import { FieldError } from "../../components/FieldError";
import { ListHeader } from "../../components/ListHeader";
import { ErrorNotice } from "../../components/Notices";
import { MODEL_LABELS } from "../../format";
import { unitPriceFormatter } from "./price";
import { useRowDrawer, useRowEditor } from "../../forms";
import { useSession } from "../../session";

export default function Plans() {
  const session = useSession();
  const plans = createAsync(() => getPlans());
  const canEdit = () => hasPrivilege(session().user, "billing.write");
  const editor = useRowEditor<Plan>();
  const price = unitPriceFormatter();
  return (
    <div class="page">
      <ListHeader title="Plans" menu="/catalogue/plans" canCreate={canEdit()} createLabel="Create Plan" onCreate={() => editor.open("new")} notice={editor.notice()} />
      <DataTable
        id="plans"
        caption="Plans"
        data={plans}
        empty="No plans yet."
        rowActionsClass="row-actions"
        showRowActions={canEdit}
        rowActions={(plan) => (
          <button type="button" class="btn btn-small" aria-label={`Edit ${plan.name}`} onClick={() => editor.open(plan)}>Edit</button>
        )}
        columns={[
          { header: "Name", rowHeader: true, cell: (plan) => <>{plan.name}<Show when={plan.description}><span class="cell-sub">{plan.description}</span></Show></> },
          {
            header: "Products",
            cell: (plan) => (
              <ul class="plain-list">
                <For each={plan.products}>{(p) => <li>{p.name} <span class="muted">({MODEL_LABELS[p.model]}, {price(p.unitPrice, p.unit)})</span></li>}</For>
              </ul>
            ),
          },
          { header: "Contracts", num: true, cell: (plan) => plan.contractCount },
          { header: "Status", cell: (plan) => <StatusBadge status={plan.status} /> },
        ]}
      />
      <PlanDrawer editing={editor.editing()} onClose={editor.close} onSaved={(p, created) => editor.saved(`${p.name} was ${created ? "created" : "saved"}.`)} />
    </div>
  );
}

function PlanDrawer(props: { editing: Plan | "new" | null; onClose: () => void; onSaved: (p: Plan, created: boolean) => void }) {
  const price = unitPriceFormatter();
  const products = createAsync(() => getProducts());
  const { form, current, err, ref, onSubmit, close } = useRowDrawer(props, savePlan, PlanInput, (data) => (
    { name: String(data.get("name") ?? ""), description: String(data.get("description") ?? ""), status: String(data.get("status") ?? "") as "active", productIds: data.getAll("productIds").map(String) } satisfies PlanInput
  ));

  return (
    <FormDrawer open={props.editing !== null} title={current() ? `Edit ${current()!.name}` : "Create Plan"} formId="plan-form" submitLabel={current() ? "Save" : "Create"} pending={form.pending()} onClose={close}>
      <form id="plan-form" ref={ref} novalidate onSubmit={onSubmit}>
        <Show when={form.error()}><ErrorNotice error={form.error()} title="The plan was not saved." /></Show>
        <Field id="plan-name" label="Name" error={err("name")}>
          <input id="plan-name" name="name" value={current()?.name ?? ""} maxlength="120" aria-invalid={err("name") ? true : undefined} aria-describedby={describedBy("plan-name", err("name"))} />
        </Field>
        <Field id="plan-description" label="Description" error={err("description")}>
          <textarea id="plan-description" name="description" rows="2">{current()?.description ?? ""}</textarea>
        </Field>
        <Field id="plan-status" label="Status" error={err("status")}>
          <select id="plan-status" name="status" value={current()?.status ?? "active"}>
            <option value="active">Active</option>
            <option value="retired">Retired</option>
          </select>
        </Field>
        <fieldset class="fieldset" aria-describedby={err("productIds") ? "plan-products-error" : undefined}>
          <legend>Products in this plan</legend>
          <div class="checks">
            <Show when={products()} fallback={<p class="muted">Loading products…</p>}>
              <For each={products()} fallback={<p class="muted">Create products first.</p>}>
                {(p) => (
                  <div class="check">
                    <input id={`plan-product-${p.id}`} type="checkbox" name="productIds" value={p.id} checked={current()?.products.some((x) => x.id === p.id) ?? false} aria-invalid={err("productIds") ? true : undefined} />
                    <label for={`plan-product-${p.id}`}>{p.name} <span class="muted">({MODEL_LABELS[p.model]}, {price(p.unitPrice, p.unit)}{p.status === "retired" ? ", retired" : ""})</span></label>
                  </div>
                )}
              </For>
            </Show>
          </div>
          <FieldError for="plan-products" message={err("productIds")} />
        </fieldset>
      </form>
    </FormDrawer>
  );
}
