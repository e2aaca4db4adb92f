import { For, Show, createEffect, createMemo, createSignal, on, onCleanup } from "solid-js";
import { createAsync, useIsRouting, useNavigate, useSearchParams } from "@solidjs/router";
import { getOrganizations, orgListParams, type OrgListParams } from "../../api/organizations";
import { AsyncView } from "../../components/AsyncView";
import { StatusBadge } from "../../components/Badge";
import { PageHeader } from "../../components/PageHeader";
import { Pagination } from "../../components/Pagination";
import { DASH, ORG_KIND_LABELS, countryName } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";

/** How long typing pauses before the search runs. */
const SEARCH_DEBOUNCE_MS = 300;

export default function OrganizationList() {
  const session = useSession();
  const navigate = useNavigate();
  const isRouting = useIsRouting();
  const [search, setSearch] = useSearchParams();
  const params = createMemo(() => orgListParams(search));
  const data = createAsync(() => getOrganizations(params()));

  const [text, setText] = createSignal(params().q ?? "");
  let searchInput!: HTMLInputElement;
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  // Back/Forward change the URL under the box: follow it unless the user is typing there.
  createEffect(on(() => params().q, (q) => document.activeElement !== searchInput && setText(q ?? ""), { defer: true }));

  function apply(patch: Partial<Record<keyof OrgListParams, string | undefined>>) {
    clearTimeout(timer);
    // A new filter starts again at page 1.
    setSearch({ ...patch, page: undefined }, { replace: true });
  }

  function onSearchInput(value: string) {
    setText(value);
    clearTimeout(timer);
    timer = setTimeout(() => apply({ q: value.trim() || undefined }), SEARCH_DEBOUNCE_MS);
  }

  const filtered = () => Boolean(params().q || params().kind);

  function openRow(e: MouseEvent, id: string) {
    // The name is the keyboard-accessible link; a click elsewhere on the row is a mouse shortcut to the same place.
    if ((e.target as Element).closest("a, button") || window.getSelection()?.toString()) return;
    navigate(`/organizations/${encodeURIComponent(id)}`);
  }

  return (
    <div class="page">
      <PageHeader title="Organizations" trail={menuPath(session(), "/organizations")} />
      <form
        class="filters"
        role="search"
        aria-label="Filter organizations"
        onSubmit={(e) => {
          e.preventDefault();
          apply({ q: text().trim() || undefined });
        }}
      >
        <div class="field">
          <label for="org-search">Search</label>
          <input id="org-search" ref={searchInput} type="search" value={text()} onInput={(e) => onSearchInput(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="org-kind">Type</label>
          <select id="org-kind" value={params().kind ?? ""} onChange={(e) => apply({ kind: e.currentTarget.value || undefined })}>
            <option value="">All</option>
            <option value="customer">Customer</option>
            <option value="reseller">Reseller</option>
          </select>
        </div>
      </form>

      <div class="results" aria-busy={isRouting()}>
        <AsyncView data={data} loading="Loading organizations…" resetKey={() => JSON.stringify(params())}>
          {(page) => (
            <Show
              when={page().items.length > 0}
              fallback={
                <div class="empty-state">
                  <p>{filtered() ? "No organizations match these filters." : "There are no organizations to show."}</p>
                  <Show when={filtered()}>
                    <button
                      type="button"
                      class="btn"
                      onClick={() => {
                        setText("");
                        apply({ q: undefined, kind: undefined });
                      }}
                    >
                      Clear filters
                    </button>
                  </Show>
                </div>
              }
            >
              <div class="table-wrap" role="region" aria-labelledby="orgs-caption" tabindex="0">
                <table class="table">
                  <caption id="orgs-caption" class="sr-only">
                    Organizations
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Type</th>
                      <th scope="col">Reseller</th>
                      <th scope="col">Country</th>
                      <th scope="col">Primary Contact</th>
                      <th scope="col" class="num">
                        Users
                      </th>
                      <th scope="col">Status</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={page().items}>
                      {(org) => (
                        <tr class="row-link" onClick={(e) => openRow(e, org.id)}>
                          <th scope="row">
                            <a href={`/organizations/${encodeURIComponent(org.id)}`}>{org.name}</a>
                          </th>
                          <td>{ORG_KIND_LABELS[org.kind]}</td>
                          <td>{org.reseller?.name ?? (org.kind === "customer" ? "Direct" : DASH)}</td>
                          <td>{countryName(org.country)}</td>
                          <td>
                            <Show when={org.primaryContact} fallback={DASH}>
                              {(contact) => (
                                <>
                                  {contact().name}
                                  <span class="cell-sub">{contact().email}</span>
                                </>
                              )}
                            </Show>
                          </td>
                          <td class="num">{org.userCount}</td>
                          <td>
                            <StatusBadge status={org.status} />
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Pagination
                page={page().page}
                pageSize={page().pageSize}
                total={page().total}
                noun={page().total === 1 ? "organization" : "organizations"}
                onPage={(p) => setSearch({ page: p > 1 ? String(p) : undefined })}
              />
            </Show>
          )}
        </AsyncView>
      </div>
    </div>
  );
}
