/**
 * The one list table: loading/error states (AsyncView), the empty state (and its filtered twin), a captioned scrollable table, an
 * optional selection column, an optional row-actions column, row click as a mouse shortcut to the row's link, and
 * Previous/Next paging. Pages describe their columns; the scaffolding lives here
 * (docs/decisions/015a-portal-structure.md).
 */
import { For, Show, type Accessor, type JSX } from "solid-js";
import { useIsRouting, useNavigate } from "@solidjs/router";
import { AsyncView } from "./AsyncView";
import type { UrlFilters } from "./FilterBar";
import { Pagination } from "./Pagination";

export interface Column<T> {
  header: JSX.Element;
  cell: (row: T) => JSX.Element;
  /** Right-aligned numbers. */
  num?: boolean;
  /** The cell naming the row (`<th scope="row">`), usually holding its link. */
  rowHeader?: boolean;
  /** Extra class on the cells (e.g. "nowrap"). */
  class?: string;
  /** Shown only when true (e.g. a column for operators only). */
  when?: () => boolean;
}

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface DataTableProps<T> {
  /** The table's accessible name (a visually hidden caption). */
  caption: string;
  /** Prefix of the caption's id. */
  id: string;
  /** A page of rows (paginated) or all rows. */
  data: Accessor<Paged<T> | T[] | undefined>;
  /** What shows while the rows load; default "Loading <caption, lower case>…". */
  loading?: string;
  resetKey?: Accessor<unknown>;
  /**
   * The list's URL filters (`useUrlFilters`, web/components/FilterBar.tsx): a new filter resets the table to its
   * loading state, paging goes through the URL, and the table dims while the next page or filter loads.
   */
  filters?: Pick<UrlFilters<unknown>, "params" | "setPage" | "active" | "clear">;
  columns: Array<Column<T>>;
  /** What an empty list says when nothing narrows it: text, or any element. */
  empty: JSX.Element;
  /**
   * What an empty list says while `filters` narrow it; default "No <noun, plural> match these filters.". A Clear
   * filters button follows, so an empty result is never confused with an empty list.
   */
  emptyFiltered?: string;
  /** What Clear filters does, when the page has more to reset than the URL (a range message); default `filters.clear`. */
  onClear?: () => void;
  /** Row key for the selection radio and React-free identity. */
  key?: (row: T) => string;
  /** Makes a click anywhere on the row follow this link (the link itself stays the keyboard path). */
  rowHref?: (row: T) => string;
  /** One selectable row (a radio per row). */
  selection?: { name: string; label: (row: T) => string; selected: Accessor<string | null>; onSelect: (key: string) => void };
  /** The last column: the row's own actions (a More menu, Edit …). */
  rowActions?: (row: T) => JSX.Element;
  /** The actions column's (visually hidden) header; default "Actions". */
  rowActionsLabel?: string;
  rowActionsClass?: string;
  showRowActions?: () => boolean;
  /**
   * What the rows are, for the total under a `Paged` result ("12 invoices") and the filtered empty state: the
   * singular, whose plural takes an "s", or both forms (["entry", "entries"]).
   */
  noun?: string | readonly [one: string, many: string];
  onPage?: (page: number) => void;
  /** Anything between the table and the paging (e.g. totals). */
  footer?: (rows: T[]) => JSX.Element;
  /** Anything above the table, shown only when there are rows (e.g. totals and a chart of the same page). */
  before?: () => JSX.Element;
  /**
   * A second, full-width row under each row (e.g. an audit entry's changes), present but hidden until `open(row)`;
   * each pair is its own `<tbody>` (classed `groupClass`) so they stay together. `id(row)` is the detail row's id,
   * for the `aria-controls` of the cell's button that opens it.
   */
  details?: { id: (row: T) => string; open: (row: T) => boolean; content: (row: T) => JSX.Element; class?: string; groupClass?: string };
}

const isPaged = <T,>(d: Paged<T> | T[]): d is Paged<T> => !Array.isArray(d);

/** The noun for `count` rows (the plural for any count but 1). */
function nounFor(noun: DataTableProps<unknown>["noun"], count: number): string {
  if (!noun) return "";
  const [one, many] = typeof noun === "string" ? [noun, `${noun}s`] : noun;
  return count === 1 ? one : many;
}

export function DataTable<T>(props: DataTableProps<T>) {
  const filters = props.filters;
  if (!filters) return <Rows {...props} />;
  // A list filtered from the URL: a new filter shows the loading state again, and the rows dim while it loads.
  const isRouting = useIsRouting();
  return (
    <div class="results" aria-busy={isRouting()}>
      <Rows resetKey={() => JSON.stringify(filters.params())} onPage={filters.setPage} {...props} />
    </div>
  );
}

function Rows<T>(props: DataTableProps<T>) {
  return (
    <AsyncView data={props.data} loading={props.loading ?? `Loading ${props.caption.toLowerCase()}…`} resetKey={props.resetKey}>
      {(d) => {
        const rows = () => (isPaged(d()) ? (d() as Paged<T>).items : (d() as T[]));
        return (
          <Show when={rows().length > 0} fallback={<Empty {...props} />}>
            <Show when={props.before}>{(before) => before()()}</Show>
            <Table {...props} rows={rows()} />
            <Show when={props.footer}>{(footer) => footer()(rows())}</Show>
            <Show when={isPaged(d()) && props.onPage ? (d() as Paged<T>) : undefined}>
              {(p) => <Pagination page={p().page} pageSize={p().pageSize} total={p().total} noun={nounFor(props.noun, p().total)} onPage={props.onPage!} />}
            </Show>
          </Show>
        );
      }}
    </AsyncView>
  );
}

/** The empty state: the list's own, or "no match" with Clear filters while its URL filters narrow it. */
function Empty<T>(props: DataTableProps<T>) {
  return (
    <Show when={props.filters?.active()} fallback={<EmptyState>{props.empty}</EmptyState>}>
      <div class="empty-state">
        <p>{props.emptyFiltered ?? (props.noun ? `No ${nounFor(props.noun, 2)} match these filters.` : "Nothing matches these filters.")}</p>
        <button type="button" class="btn" onClick={() => (props.onClear ?? props.filters!.clear)()}>Clear filters</button>
      </div>
    </Show>
  );
}

function EmptyState(props: { children: JSX.Element }) {
  return <Show when={typeof props.children === "string"} fallback={<div class="empty-state">{props.children}</div>}><p class="empty-state">{props.children}</p></Show>;
}

function Table<T>(props: DataTableProps<T> & { rows: T[] }) {
  const navigate = useNavigate();
  const columns = () => props.columns.filter((c) => !c.when || c.when());
  const actions = () => Boolean(props.rowActions) && (!props.showRowActions || props.showRowActions());
  function openRow(e: MouseEvent, href: string) {
    // The link is the keyboard path; a click elsewhere on the row is a mouse shortcut to the same place.
    if ((e.target as Element).closest("a, button, input, select, label") || window.getSelection()?.toString()) return;
    navigate(href);
  }
  return (
    <div class="table-wrap" role="region" aria-labelledby={`${props.id}-caption`} tabindex="0">
      <table class="table">
        <caption id={`${props.id}-caption`} class="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            <Show when={props.selection}><th scope="col"><span class="sr-only">Select</span></th></Show>
            <For each={columns()}>{(c) => <th scope="col" class={c.num ? "num" : undefined}>{c.header}</th>}</For>
            <Show when={actions()}><th scope="col"><span class="sr-only">{props.rowActionsLabel ?? "Actions"}</span></th></Show>
          </tr>
        </thead>
        <Show when={props.details} fallback={<tbody><For each={props.rows}>{(row) => <Row {...props} row={row} columns={columns()} actions={actions()} onOpen={openRow} />}</For></tbody>}>
          {(details) => (
            <For each={props.rows}>
              {(row) => (
                <tbody class={details().groupClass}>
                  <Row {...props} row={row} columns={columns()} actions={actions()} onOpen={openRow} />
                  <tr id={details().id(row)} class={details().class} hidden={!details().open(row)}>
                    <td colspan={columns().length + (props.selection ? 1 : 0) + (actions() ? 1 : 0)}>
                      <Show when={details().open(row)}>{details().content(row)}</Show>
                    </td>
                  </tr>
                </tbody>
              )}
            </For>
          )}
        </Show>
      </table>
    </div>
  );
}

/** One row: the optional selection radio, the columns, the optional row actions. */
function Row<T>(props: DataTableProps<T> & { row: T; columns: Array<Column<T>>; actions: boolean; onOpen: (e: MouseEvent, href: string) => void }) {
  const row = props.row;
  return (
    <tr class={props.rowHref ? "row-link" : undefined} onClick={props.rowHref ? (e) => props.onOpen(e, props.rowHref!(row)) : undefined}>
      <Show when={props.selection}>
        {(sel) => {
          const key = props.key!(row);
          return (
            <td>
              <input type="radio" name={sel().name} id={`sel-${key}`} checked={sel().selected() === key} onChange={() => sel().onSelect(key)} />
              <label for={`sel-${key}`} class="sr-only">{sel().label(row)}</label>
            </td>
          );
        }}
      </Show>
      <For each={props.columns}>
        {(c) => {
          const cls = [c.num ? "num" : "", c.class ?? ""].filter(Boolean).join(" ") || undefined;
          return c.rowHeader ? <th scope="row" class={cls}>{c.cell(row)}</th> : <td class={cls}>{c.cell(row)}</td>;
        }}
      </For>
      <Show when={props.actions}><td class={props.rowActionsClass}>{props.rowActions!(row)}</td></Show>
    </tr>
  );
}
