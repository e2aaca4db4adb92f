/**
 * Billing & Reports >> Customer Billing >> Dunning: the organizations in dunning with their phase, since when,
 * the next step and its date, and the amount overdue (docs/decisions/018-dunning.md). A row opens the
 * organization's timeline (DunningCase.tsx).
 */
import { Show } from "solid-js";
import { createAsync } from "@solidjs/router";
import { DUNNING_STATES, DUNNING_STATE_LABELS } from "../../../worker/contract/dunning";
import { dunningListParams, getDunningCases } from "../../api/dunning";
import { Badge } from "../../components/Badge";
import { DataTable } from "../../components/DataTable";
import { FilterBar, SearchField, SelectFilter, useUrlFilters } from "../../components/FilterBar";
import { PageHeader } from "../../components/PageHeader";
import { DASH, ORG_KIND_LABELS } from "../../format";
import { dunningHref, overdue, phaseLabel, phaseTone, when } from "./dunning-format";

const PHASE_OPTIONS = DUNNING_STATES.filter((s) => s !== "current").map((s) => [s, DUNNING_STATE_LABELS[s]] as const);

export default function Dunning() {
  const filters = useUrlFilters(dunningListParams);
  const params = filters.params;
  const data = createAsync(() => getDunningCases(params()));

  return (
    <div class="page">
      <PageHeader title="Dunning" menu="/billing/dunning" />
      <FilterBar label="Filter organizations in dunning">
        <SearchField id="dunning-search" label="Organization" value={params().search} maxLength={100} onSearch={(search) => filters.apply({ search })} />
        <SelectFilter id="dunning-phase" label="Phase" value={params().state} all="All phases" options={PHASE_OPTIONS} onChange={(state) => filters.apply({ state })} />
      </FilterBar>
      <DataTable
        id="dunning"
        caption="Organizations in dunning"
        data={data}
        filters={filters}
        rowHref={(c) => dunningHref(c.orgId)}
        empty="No organization is in dunning: every invoice is paid or not yet due."
        emptyFiltered="No organizations in dunning match these filters."
        noun="organization"
        columns={[
          { header: "Organization", rowHeader: true, cell: (c) => <><a href={dunningHref(c.orgId)}>{c.orgName}</a><span class="cell-sub">{ORG_KIND_LABELS[c.orgKind as "customer"] ?? c.orgKind}</span></> },
          {
            header: "Phase",
            cell: (c) => (
              <>
                <Badge tone={phaseTone(c.state)}>{phaseLabel(c.state)}</Badge>
                <Show when={c.paused}><span class="cell-sub">{c.pausedUntil === null ? "Exempt" : `Paused until ${when(c.pausedUntil)}`}</span></Show>
              </>
            ),
          },
          { header: "Since", class: "nowrap", cell: (c) => when(c.since) },
          { header: "Next step", cell: (c) => (c.paused || !c.nextState ? DASH : phaseLabel(c.nextState)) },
          { header: "Next step on", class: "nowrap", cell: (c) => (c.paused ? DASH : when(c.nextAt)) },
          { header: "Amount overdue", num: true, cell: (c) => overdue(c.amountOverdueMinor, c.currency) },
        ]}
      />
    </div>
  );
}
