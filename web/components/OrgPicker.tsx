import { For, Show, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import { getOrgOptions } from "../api/catalogue";
import { describedBy } from "./Field";

/**
 * Choose a customer or reseller organization: a search box narrowing a select (first 100 matches by name),
 * so it works with thousands of organizations. Both controls are labelled; the select carries the value.
 */
export function OrgPicker(props: { id: string; name?: string; label: string; value?: string; error?: string; allowAll?: string; onChange?: (id: string) => void; kind?: "customer" | "reseller" }) {
  const [q, setQ] = createSignal("");
  const orgs = createAsync(() => getOrgOptions(q()));
  return (
    <div class="org-picker">
      <div class="field">
        <label for={`${props.id}-search`}>{props.label}: search</label>
        <input id={`${props.id}-search`} type="search" value={q()} onInput={(e) => setQ(e.currentTarget.value.trim())} placeholder="Type part of a name" />
      </div>
      <div class="field">
        <label for={props.id}>{props.label}</label>
        <select id={props.id} name={props.name ?? "orgId"} value={props.value ?? ""} onChange={(e) => props.onChange?.(e.currentTarget.value)} aria-invalid={props.error ? true : undefined} aria-describedby={describedBy(props.id, props.error)}>
          <option value="">{props.allowAll ?? "Choose…"}</option>
          <Show when={orgs()}>
            <For each={orgs()!.filter((o) => !props.kind || o.kind === props.kind)}>{(o) => <option value={o.id} selected={o.id === props.value}>{o.name} ({o.kind === "reseller" ? "Reseller" : "Customer"})</option>}</For>
          </Show>
        </select>
        <Show when={props.error}>
          <p id={`${props.id}-error`} class="field-error">{props.error}</p>
        </Show>
      </div>
    </div>
  );
}
