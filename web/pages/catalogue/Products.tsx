import { Show } from "solid-js";
import { createAsync } from "@solidjs/router";
import { ProductInput, type Product } from "../../../worker/contract/catalogue";
import { hasPrivilege } from "../../../worker/contract/roles";
import { getProducts, saveProduct } from "../../api/catalogue";
import { DataTable } from "../../components/DataTable";
import { Badge, StatusBadge } from "../../components/Badge";
import { FormDrawer } from "../../components/FormDrawer";
import { Field, describedBy } from "../../components/Field";
import { ListHeader } from "../../components/ListHeader";
import { ErrorNotice } from "../../components/Notices";
import { MODEL_LABELS } from "../../format";
import { unitPriceFormatter } from "./price";
import { useRowDrawer, useRowEditor } from "../../forms";
import { useSession } from "../../session";

export default function Products() {
  const session = useSession();
  const products = createAsync(() => getProducts());
  const canEdit = () => hasPrivilege(session().user, "billing.write");
  const editor = useRowEditor<Product>();
  const price = unitPriceFormatter();

  return (
    <div class="page">
      <ListHeader title="Products" menu="/catalogue/products" canCreate={canEdit()} createLabel="Create Product" onCreate={() => editor.open("new")} notice={editor.notice()} />
      <DataTable
        id="products"
        caption="Products"
        data={products}
        empty={`No products yet.${canEdit() ? " Create the first one." : ""}`}
        rowActionsClass="row-actions"
        showRowActions={canEdit}
        rowActions={(p) => (
          <button type="button" class="btn btn-small" aria-label={`Edit ${p.name}`} onClick={() => editor.open(p)}>
            Edit
          </button>
        )}
        columns={[
          { header: "Name", rowHeader: true, cell: (p) => <>{p.name}<Show when={p.description}><span class="cell-sub">{p.description}</span></Show></> },
          { header: "Model", cell: (p) => MODEL_LABELS[p.model] },
          { header: "Unit", cell: (p) => p.unit },
          { header: "Unit price", num: true, cell: (p) => price(p.unitPrice) },
          { header: "Taxable", cell: (p) => (p.taxable ? <Badge>Taxable</Badge> : "No") },
          { header: "Plans", num: true, cell: (p) => p.planCount },
          { header: "Status", cell: (p) => <StatusBadge status={p.status} /> },
        ]}
        footer={() => <p class="muted">Unit prices are in the billing currency, exact to 6 decimals; taxes are added on invoices for taxable products.</p>}
      />
      <ProductDrawer editing={editor.editing()} onClose={editor.close} onSaved={(p, created) => editor.saved(`${p.name} was ${created ? "created" : "saved"}.`)} />
    </div>
  );
}

function ProductDrawer(props: { editing: Product | "new" | null; onClose: () => void; onSaved: (p: Product, created: boolean) => void }) {
  const { form, current, err, ref, onSubmit, close } = useRowDrawer(props, saveProduct, ProductInput, (data) => ({
    name: String(data.get("name") ?? ""),
    description: String(data.get("description") ?? ""),
    model: String(data.get("model") ?? ""),
    unit: String(data.get("unit") ?? ""),
    unitPrice: String(data.get("unitPrice") ?? ""),
    taxable: data.get("taxable") === "on",
    status: String(data.get("status") ?? ""),
  }) as ProductInput);

  return (
    <FormDrawer open={props.editing !== null} title={current() ? `Edit ${current()!.name}` : "Create Product"} formId="product-form" submitLabel={current() ? "Save" : "Create"} pending={form.pending()} onClose={close}>
      <form id="product-form" ref={ref} novalidate onSubmit={onSubmit}>
        <Show when={form.error()}><ErrorNotice error={form.error()} title="The product was not saved." /></Show>
        <Field id="product-name" label="Name" error={err("name")}>
          <input id="product-name" name="name" value={current()?.name ?? ""} maxlength="120" aria-invalid={err("name") ? true : undefined} aria-describedby={describedBy("product-name", err("name"))} />
        </Field>
        <Field id="product-description" label="Description" error={err("description")}>
          <textarea id="product-description" name="description" rows="2" maxlength="1000" aria-invalid={err("description") ? true : undefined} aria-describedby={describedBy("product-description", err("description"))}>{current()?.description ?? ""}</textarea>
        </Field>
        <Field id="product-model" label="Model" error={err("model")} hint="Fixed: a recurring fee per billing cycle. Pay-as-you-go: billed on recorded usage.">
          <select id="product-model" name="model" value={current()?.model ?? "fixed"} aria-invalid={err("model") ? true : undefined} aria-describedby={describedBy("product-model", err("model"), true)}>
            <option value="fixed">Fixed</option>
            <option value="payg">Pay-as-you-go</option>
          </select>
        </Field>
        <Field id="product-unit" label="Unit" error={err("unit")} hint='e.g. "month", "vCPU-hour", "GB-month".'>
          <input id="product-unit" name="unit" value={current()?.unit ?? ""} maxlength="40" aria-invalid={err("unit") ? true : undefined} aria-describedby={describedBy("product-unit", err("unit"), true)} />
        </Field>
        <Field id="product-price" label="Unit price" error={err("unitPrice")} hint="Exact decimal, up to 6 decimals (e.g. 0.0125).">
          <input id="product-price" name="unitPrice" inputmode="decimal" value={current()?.unitPrice ?? ""} aria-invalid={err("unitPrice") ? true : undefined} aria-describedby={describedBy("product-price", err("unitPrice"), true)} />
        </Field>
        <div class="check">
          <input id="product-taxable" name="taxable" type="checkbox" checked={current()?.taxable ?? true} />
          <label for="product-taxable">Taxable (tax rules of the customer's country apply)</label>
        </div>
        <Field id="product-status" label="Status" error={err("status")}>
          <select id="product-status" name="status" value={current()?.status ?? "active"}>
            <option value="active">Active</option>
            <option value="retired">Retired</option>
          </select>
        </Field>
      </form>
    </FormDrawer>
  );
}
