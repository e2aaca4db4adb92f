import { For, Show } from "solid-js";
import { createAsync } from "@solidjs/router";
import { PRIVILEGES, PRIVILEGE_LABELS, ROLE_LABELS } from "../../../worker/contract/roles";
import { getStaff } from "../../api/staff";
import { StatusBadge } from "../../components/Badge";
import { DataTable } from "../../components/DataTable";
import { PageHeader } from "../../components/PageHeader";
import { formatDateTime, fullName } from "../../format";

/** Staff & Privileges: every operator user and what they may do. The Cloud-Admin's row is read-only. */
export default function StaffList() {
  const staff = createAsync(() => getStaff());
  return (
    <div class="page">
      <PageHeader title="Staff & Privileges" menu="/staff" />
      <DataTable
        id="staff"
        caption="Staff members and their privileges"
        data={staff}
        loading="Loading staff…"
        empty="There are no staff members yet."
        rowActions={(member) => (
          <Show when={member.role !== "cloud_admin"} fallback={<span class="muted">Read-only</span>}>
            <a href={`/staff/${encodeURIComponent(member.id)}`}>
              Edit privileges<span class="sr-only"> of {fullName(member)}</span>
            </a>
          </Show>
        )}
        columns={[
          { header: "Name", rowHeader: true, cell: (member) => fullName(member) },
          { header: "Email", cell: (member) => member.email },
          { header: "Role", cell: (member) => ROLE_LABELS[member.role] },
          {
            header: "Privileges",
            cell: (member) => (
              <Show when={member.role !== "cloud_admin"} fallback={<strong>All privileges</strong>}>
                <Show when={member.privileges.length > 0} fallback={<span class="muted">No privileges</span>}>
                  <ul class="plain-list">
                    <For each={PRIVILEGES.filter((p) => member.privileges.includes(p))}>{(p) => <li>{PRIVILEGE_LABELS[p]}</li>}</For>
                  </ul>
                </Show>
              </Show>
            ),
          },
          { header: "Status", cell: (member) => <StatusBadge status={member.status} /> },
          { header: "Last sign-in", class: "nowrap", cell: (member) => (member.lastLoginAt ? formatDateTime(member.lastLoginAt) : "Never") },
        ]}
      />
    </div>
  );
}
