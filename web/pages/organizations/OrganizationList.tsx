import { Show } from "solid-js";
import { createAsync } from "@solidjs/router";
import { getOrganizations, orgListParams } from "../../api/organizations";
import { StatusBadge } from "../../components/Badge";
import { DataTable } from "../../components/DataTable";
import { FilterBar, SearchField, SelectFilter, useUrlFilters } from "../../components/FilterBar";
import { PageHeader } from "../../components/PageHeader";
import { DASH, ORG_KIND_LABELS, countryName } from "../../format";

export default function OrganizationList() {
  const filters = useUrlFilters(orgListParams);
  const params = filters.params;
  const data = createAsync(() => getOrganizations(params()));
  const href = (id: string) => `/organizations/${encodeURIComponent(id)}`;

  return (
    <div class="page">
      <PageHeader title="Organizations" menu="/organizations" />
      <FilterBar label="Filter organizations">
        <SearchField id="org-search" label="Search" value={params().q} onSearch={(q) => filters.apply({ q })} />
        <SelectFilter id="org-kind" label="Type" value={params().kind} onChange={(kind) => filters.apply({ kind })} options={[["customer", "Customer"], ["reseller", "Reseller"]]} />
      </FilterBar>

      <DataTable
        id="orgs"
        caption="Organizations"
        data={data}
        filters={filters}
        rowHref={(org) => href(org.id)}
        empty="There are no organizations to show."
        noun="organization"
        columns={[
          { header: "Name", rowHeader: true, cell: (org) => <a href={href(org.id)}>{org.name}</a> },
          { header: "Type", cell: (org) => ORG_KIND_LABELS[org.kind] },
          { header: "Reseller", cell: (org) => org.reseller?.name ?? (org.kind === "customer" ? "Direct" : DASH) },
          { header: "Country", cell: (org) => countryName(org.country) },
          {
            header: "Primary Contact",
            cell: (org) => (
              <Show when={org.primaryContact} fallback={DASH}>
                {(contact) => (
                  <>
                    {contact().name}
                    <span class="cell-sub">{contact().email}</span>
                  </>
                )}
              </Show>
            ),
          },
          { header: "Users", num: true, cell: (org) => org.userCount },
          { header: "Status", cell: (org) => <StatusBadge status={org.status} /> },
        ]}
      />
    </div>
  );
}
