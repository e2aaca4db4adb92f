/**
 * List filters that live in the URL (deep links, reloads and Back keep them): `useUrlFilters(parse)` reads them
 * with the list's own parser (web/api/<entity>.ts) and writes them back, a new filter starting again at page 1;
 * `FilterBar` is the search form around the filter fields (the searchable `OrgPicker` among them), and
 * `SearchField` the debounced search box. See docs/decisions/015a-portal-structure.md.
 */
import { For, Show, createEffect, createMemo, createSignal, on, onCleanup, type Accessor, type JSX } from "solid-js";
import { useSearchParams, type SearchParams } from "@solidjs/router";

/** How long typing pauses before a live search runs. */
export const SEARCH_DEBOUNCE_MS = 300;

export type FilterPatch<P> = Partial<Record<Exclude<keyof P, "page" | "pageSize">, string | undefined>>;

export interface UrlFilters<P> {
  params: Accessor<P>;
  /** Replaces the given filters (undefined clears one) and goes back to page 1. */
  apply: (patch: FilterPatch<P>) => void;
  /** Goes to a page of the same filter (a history entry, so Back returns to the previous page). */
  setPage: (page: number) => void;
  /** The form's named fields as a patch: empty fields clear their filter. */
  fromForm: (form: HTMLFormElement, names: Array<Exclude<keyof P, "page" | "pageSize">>) => FilterPatch<P>;
  /** True when any filter narrows the list (differs from what the parser reads from an empty address). */
  active: Accessor<boolean>;
  /** Removes every filter the parser reads and goes back to page 1. */
  clear: () => void;
}

export function useUrlFilters<P extends { page: number }>(parse: (search: SearchParams) => P): UrlFilters<P> {
  const [search, setSearch] = useSearchParams();
  const params = createMemo(() => parse(search));
  // The filters are the parser's keys; their defaults are what it reads from an address without any.
  const defaults = parse({});
  const keys = (Object.keys(defaults) as Array<keyof P>).filter((k) => k !== "page" && k !== "pageSize");
  return {
    params,
    apply: (patch) => setSearch({ ...patch, page: undefined }, { replace: true }),
    setPage: (page) => setSearch({ page: page > 1 ? String(page) : undefined }),
    fromForm: (form, names) => {
      const data = new FormData(form);
      return Object.fromEntries(names.map((n) => [n, String(data.get(String(n)) ?? "").trim() || undefined])) as FilterPatch<P>;
    },
    active: createMemo(() => keys.some((k) => params()[k] !== defaults[k])),
    clear: () => setSearch({ ...Object.fromEntries(keys.map((k) => [k, undefined])), page: undefined }, { replace: true }),
  };
}

/** The filter form: `role="search"`, named for what it filters; submitting runs `onApply`. */
export function FilterBar(props: { label: string; onApply?: (form: HTMLFormElement) => void; children: JSX.Element; actions?: JSX.Element }) {
  return (
    <form
      class="filters"
      role="search"
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        props.onApply?.(e.currentTarget);
      }}
    >
      {props.children}
      <Show when={props.actions}>
        <div class="filter-actions">{props.actions}</div>
      </Show>
    </form>
  );
}

/**
 * A search box that applies itself after a pause in typing, and follows the URL when Back/Forward change it
 * (unless the user is typing there). `value` is the filter in the URL; `onSearch` applies a new one.
 */
export function SearchField(props: { id: string; label: string; value: string | undefined; onSearch: (q: string | undefined) => void; name?: string; maxLength?: number; placeholder?: string }) {
  const [text, setText] = createSignal(props.value ?? "");
  let input!: HTMLInputElement;
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  createEffect(on(() => props.value, (q) => document.activeElement !== input && setText(q ?? ""), { defer: true }));
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        ref={input}
        name={props.name}
        type="search"
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        value={text()}
        onInput={(e) => {
          const value = e.currentTarget.value;
          setText(value);
          clearTimeout(timer);
          timer = setTimeout(() => props.onSearch(value.trim() || undefined), SEARCH_DEBOUNCE_MS);
        }}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          clearTimeout(timer);
          props.onSearch(text().trim() || undefined);
        }}
      />
    </div>
  );
}

/**
 * A filter chosen from a short list; the empty option means "all". With `onChange` it applies on change; with
 * `name` alone it is a field of the FilterBar's form, applied with the form.
 */
export function SelectFilter(props: {
  id: string;
  label: string;
  value: string | undefined;
  options: ReadonlyArray<readonly [value: string, label: string]>;
  onChange?: (value: string | undefined) => void;
  name?: string;
  all?: string;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.name} value={props.value ?? ""} onChange={(e) => props.onChange?.(e.currentTarget.value || undefined)}>
        <option value="">{props.all ?? "All"}</option>
        <For each={props.options}>{([value, label]) => <option value={value}>{label}</option>}</For>
      </select>
    </div>
  );
}
