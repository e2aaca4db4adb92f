import { For, Show, createMemo, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import { getOrgOptions, type OrgOption } from "../api/catalogue";
import { getOrganizations } from "../api/organizations";
import { describedBy } from "./Field";

const KIND_LABEL = { operator: "Operator", reseller: "Reseller", customer: "Customer" } as const;

/**
 * Choose a customer or reseller organization: a search box narrowing a select (first 100 matches by name, the
 * chosen one always included), so it works with thousands of organizations. Both controls are labelled; the select
 * carries the value. The list comes from the billing options (billing.read) or, with `source="organizations"`,
 * from the Organizations screen's list (organizations.read), for screens outside billing.
 */
export function OrgPicker(props: {
  id: string;
  name?: string;
  label: string;
  value?: string;
  error?: string;
  allowAll?: string;
  kind?: "customer" | "reseller";
  source?: "billing" | "organizations";
  onChange?: (id: string, org: OrgOption | undefined) => void;
}) {
  const [q, setQ] = createSignal("");
  const orgs = createAsync(async (): Promise<OrgOption[]> => {
    if (props.source === "organizations") {
      const page = await getOrganizations({ q: q() || undefined, kind: props.kind, page: 1, pageSize: 100 });
      return page.items.map((o) => ({ id: o.id, name: o.name, kind: o.kind, country: o.country }));
    }
    return getOrgOptions({ q: q() || undefined, kind: props.kind, include: props.value || undefined });
  });
  const list = createMemo(() => (orgs() ?? []).filter((o) => !props.kind || o.kind === props.kind));
  return (
    <div class="org-picker">
      <div class="field">
        <label for={`${props.id}-search`}>{props.label}: search</label>
        <input id={`${props.id}-search`} type="search" value={q()} onInput={(e) => setQ(e.currentTarget.value.trim())} placeholder="Type part of a name" />
      </div>
      <div class="field">
        <label for={props.id}>{props.label}</label>
        <select
          id={props.id}
          name={props.name ?? "orgId"}
          value={props.value ?? ""}
          onChange={(e) => {
            const id = e.currentTarget.value;
            props.onChange?.(id, list().find((o) => o.id === id));
          }}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy(props.id, props.error)}
        >
          <option value="">{props.allowAll ?? "Choose…"}</option>
          <For each={list()}>{(o) => <option value={o.id} selected={o.id === props.value}>{o.name} ({KIND_LABEL[o.kind]})</option>}</For>
        </select>
        <Show when={props.error}>
          <p id={`${props.id}-error`} class="field-error">{props.error}</p>
        </Show>
      </div>
    </div>
  );
}
