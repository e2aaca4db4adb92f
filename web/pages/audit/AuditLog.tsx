import { For, Show, createSignal } from "solid-js";
import { createAsync } from "@solidjs/router";
import type { AuditEntry } from "../../../worker/contract/dto";
import { auditParams, getAuditActions, getAuditLog } from "../../api/audit";
import { DataTable } from "../../components/DataTable";
import { DateRangeFields, rangeError } from "../../components/DateRange";
import { FilterBar, useUrlFilters } from "../../components/FilterBar";
import { PageHeader } from "../../components/PageHeader";
import { DASH, formatDateTime } from "../../format";

/** "organization.primary_contact.changed" may wrap after each dot instead of widening the table. */
function dotted(text: string) {
  return text.split(".").flatMap((part, i) => (i === 0 ? [part] : [<wbr />, `.${part}`]));
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return DASH;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Configuration » Audit Log: who did what, filterable, with each entry's before/after values on demand. */
export default function AuditLog() {
  const filters = useUrlFilters(auditParams);
  const params = filters.params;
  const data = createAsync(() => getAuditLog(params()));
  // Suggestions only: a failure to load them leaves the free-text filter working.
  const knownActions = createAsync(() => getAuditActions().catch(() => [] as string[]));
  const [rangeMessage, setRangeMessage] = createSignal("");
  const [expanded, setExpanded] = createSignal<ReadonlySet<string>>(new Set());

  function apply(form: HTMLFormElement) {
    const patch = filters.fromForm(form, ["q", "action", "from", "to"]);
    setRangeMessage(rangeError(patch.from, patch.to));
    if (!rangeMessage()) filters.apply(patch);
  }

  function clear() {
    setRangeMessage("");
    filters.clear();
  }

  function toggle(id: string) {
    const next = new Set(expanded());
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setExpanded(next);
  }

  return (
    <div class="page">
      <PageHeader title="Audit Log" menu="/audit-log" />
      <FilterBar
        label="Filter the audit log"
        onApply={apply}
        actions={
          <>
            <button type="submit" class="btn btn-primary">
              Apply filters
            </button>
            <Show when={filters.active()}>
              <button type="button" class="btn" onClick={clear}>
                Clear filters
              </button>
            </Show>
          </>
        }
      >
        <div class="field">
          <label for="audit-search">Search</label>
          <input id="audit-search" name="q" type="search" value={params().q ?? ""} />
        </div>
        <div class="field">
          <label for="audit-action">Action</label>
          <input id="audit-action" name="action" type="text" list="audit-actions" value={params().action ?? ""} spellcheck={false} />
          <datalist id="audit-actions">
            <For each={knownActions() ?? []}>{(action) => <option value={action} />}</For>
          </datalist>
        </div>
        <DateRangeFields id="audit" names={{ from: "from", to: "to" }} from={params().from ?? ""} to={params().to ?? ""} error={rangeMessage()} />
      </FilterBar>

      <DataTable
        id="audit"
        caption="Audit log entries"
        data={data}
        loading="Loading the audit log…"
        filters={filters}
        empty="The audit log is empty."
        onClear={clear}
        noun={["entry", "entries"]}
        details={{ id: diffId, open: (entry) => expanded().has(entry.id), content: (entry) => <Changes entry={entry} />, class: "diff-row", groupClass: "audit-entry" }}
        columns={[
          { header: "Time", rowHeader: true, cell: (entry) => <time datetime={entry.at}>{formatDateTime(entry.at)}</time> },
          { header: "Actor", class: "break", cell: (entry) => entry.actor.label },
          { header: "Organization", cell: (entry) => entry.org?.name ?? DASH },
          { header: "Action", cell: (entry) => <code>{dotted(entry.action)}</code> },
          {
            header: "Target",
            cell: (entry) => (
              <>
                {entry.targetType}
                <Show when={entry.targetId}>
                  <span class="cell-sub">{entry.targetId}</span>
                </Show>
              </>
            ),
          },
          { header: "IP", cell: (entry) => entry.ip ?? DASH },
          { header: <span class="sr-only">Changes</span>, cell: (entry) => <ToggleChanges entry={entry} open={expanded().has(entry.id)} onToggle={() => toggle(entry.id)} /> },
        ]}
      />
    </div>
  );
}

const diffId = (entry: AuditEntry) => `audit-diff-${entry.id}`;

function ToggleChanges(props: { entry: AuditEntry; open: boolean; onToggle: () => void }) {
  return (
    <button type="button" class="btn btn-small" aria-expanded={props.open} aria-controls={diffId(props.entry)} onClick={() => props.onToggle()}>
      {props.open ? "Hide changes" : "Show changes"}
      <span class="sr-only">
        {" "}
        of {props.entry.action} at {formatDateTime(props.entry.at)}
      </span>
    </button>
  );
}

/** An entry's before/after values, shown in the row under it. */
function Changes(props: { entry: AuditEntry }) {
  const entry = props.entry;
  const changes = Object.entries(entry.diff ?? {});
  return (
    <>
      <Show when={changes.length > 0} fallback={<p class="muted">No field changes were recorded for this entry.</p>}>
        <table class="table diff-table">
          <caption class="sr-only">Changes made by {entry.action}</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            <For each={changes}>
              {([field, change]) => (
                <tr>
                  <th scope="row">
                    <code>{field}</code>
                  </th>
                  <td class="diff-before">{show(change.before)}</td>
                  <td class="diff-after">{show(change.after)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
      <p class="reference">Request ID: {entry.requestId}</p>
    </>
  );
}
