import { For, Show, createEffect, createMemo, createSignal, on } from "solid-js";
import { createAsync, useIsRouting, useSearchParams } from "@solidjs/router";
import type { AuditEntry } from "../../../worker/contract/dto";
import { auditParams, getAuditActions, getAuditLog } from "../../api/audit";
import { AsyncView } from "../../components/AsyncView";
import { DateRangeFields, rangeError } from "../../components/DateRange";
import { PageHeader } from "../../components/PageHeader";
import { Pagination } from "../../components/Pagination";
import { DASH, formatDateTime } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";

interface Draft {
  q: string;
  action: string;
  from: string;
  to: string;
}

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
  const session = useSession();
  const isRouting = useIsRouting();
  const [search, setSearch] = useSearchParams();
  const params = createMemo(() => auditParams(search));
  const data = createAsync(() => getAuditLog(params()));
  // Suggestions only: a failure to load them leaves the free-text filter working.
  const knownActions = createAsync(() => getAuditActions().catch(() => [] as string[]));

  const fromUrl = (): Draft => ({ q: params().q ?? "", action: params().action ?? "", from: params().from ?? "", to: params().to ?? "" });
  const [draft, setDraft] = createSignal<Draft>(fromUrl());
  const [rangeMessage, setRangeMessage] = createSignal("");
  const [expanded, setExpanded] = createSignal<ReadonlySet<string>>(new Set());
  // Back/Forward: the form follows the URL.
  createEffect(on(params, () => setDraft(fromUrl()), { defer: true }));

  const edit = (key: keyof Draft) => (e: Event & { currentTarget: HTMLInputElement }) =>
    setDraft({ ...draft(), [key]: e.currentTarget.value });

  function apply(e: SubmitEvent) {
    e.preventDefault();
    const d = draft();
    setRangeMessage(rangeError(d.from, d.to));
    if (rangeMessage()) return;
    setSearch(
      { q: d.q.trim() || undefined, action: d.action.trim() || undefined, from: d.from || undefined, to: d.to || undefined, page: undefined },
      { replace: true },
    );
  }

  function clear() {
    setRangeMessage("");
    setSearch({ q: undefined, action: undefined, from: undefined, to: undefined, page: undefined }, { replace: true });
  }

  function toggle(id: string) {
    const next = new Set(expanded());
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setExpanded(next);
  }

  const filtered = () => Boolean(params().q || params().action || params().from || params().to || params().orgId);

  return (
    <div class="page">
      <PageHeader title="Audit Log" trail={menuPath(session(), "/audit-log")} />
      <form class="filters" role="search" aria-label="Filter the audit log" novalidate onSubmit={apply}>
        <div class="field">
          <label for="audit-search">Search</label>
          <input id="audit-search" type="search" value={draft().q} onInput={edit("q")} />
        </div>
        <div class="field">
          <label for="audit-action">Action</label>
          <input id="audit-action" type="text" list="audit-actions" value={draft().action} onInput={edit("action")} spellcheck={false} />
          <datalist id="audit-actions">
            <For each={knownActions() ?? []}>{(action) => <option value={action} />}</For>
          </datalist>
        </div>
        <DateRangeFields id="audit" from={draft().from} to={draft().to} error={rangeMessage()} onFrom={(from) => setDraft({ ...draft(), from })} onTo={(to) => setDraft({ ...draft(), to })} />
        <div class="filter-actions">
          <button type="submit" class="btn btn-primary">
            Apply filters
          </button>
          <Show when={filtered()}>
            <button type="button" class="btn" onClick={clear}>
              Clear filters
            </button>
          </Show>
        </div>
      </form>

      <div class="results" aria-busy={isRouting()}>
        <AsyncView data={data} loading="Loading the audit log…" resetKey={() => JSON.stringify(params())}>
          {(page) => (
            <Show
              when={page().items.length > 0}
              fallback={<p class="empty-state">{filtered() ? "No entries match these filters." : "The audit log is empty."}</p>}
            >
              <div class="table-wrap" role="region" aria-labelledby="audit-caption" tabindex="0">
                <table class="table">
                  <caption id="audit-caption" class="sr-only">
                    Audit log entries
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Actor</th>
                      <th scope="col">Organization</th>
                      <th scope="col">Action</th>
                      <th scope="col">Target</th>
                      <th scope="col">IP</th>
                      <th scope="col">
                        <span class="sr-only">Changes</span>
                      </th>
                    </tr>
                  </thead>
                  <For each={page().items}>
                    {(entry) => <EntryRows entry={entry} open={expanded().has(entry.id)} onToggle={() => toggle(entry.id)} />}
                  </For>
                </table>
              </div>
              <Pagination
                page={page().page}
                pageSize={page().pageSize}
                total={page().total}
                noun={page().total === 1 ? "entry" : "entries"}
                onPage={(p) => setSearch({ page: p > 1 ? String(p) : undefined })}
              />
            </Show>
          )}
        </AsyncView>
      </div>
    </div>
  );
}

/** One entry: its row, and when open a second row with the before/after values. One <tbody> keeps them together. */
function EntryRows(props: { entry: AuditEntry; open: boolean; onToggle: () => void }) {
  const entry = props.entry;
  const diffId = `audit-diff-${entry.id}`;
  const changes = Object.entries(entry.diff ?? {});
  return (
    <tbody class="audit-entry">
      <tr>
        <th scope="row">
          <time datetime={entry.at}>{formatDateTime(entry.at)}</time>
        </th>
        <td class="break">{entry.actor.label}</td>
        <td>{entry.org?.name ?? DASH}</td>
        <td>
          <code>{dotted(entry.action)}</code>
        </td>
        <td>
          {entry.targetType}
          <Show when={entry.targetId}>
            <span class="cell-sub">{entry.targetId}</span>
          </Show>
        </td>
        <td>{entry.ip ?? DASH}</td>
        <td>
          <button type="button" class="btn btn-small" aria-expanded={props.open} aria-controls={diffId} onClick={() => props.onToggle()}>
            {props.open ? "Hide changes" : "Show changes"}
            <span class="sr-only">
              {" "}
              of {entry.action} at {formatDateTime(entry.at)}
            </span>
          </button>
        </td>
      </tr>
      <tr id={diffId} class="diff-row" hidden={!props.open}>
        <td colspan="7">
          <Show when={props.open}>
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
          </Show>
        </td>
      </tr>
    </tbody>
  );
}
