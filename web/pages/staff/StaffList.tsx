import { For, Show } from "solid-js";
import { createAsync } from "@solidjs/router";
import { PRIVILEGES, PRIVILEGE_LABELS, ROLE_LABELS } from "../../../worker/contract/roles";
import { getStaff } from "../../api/staff";
import { AsyncView } from "../../components/AsyncView";
import { StatusBadge } from "../../components/Badge";
import { PageHeader } from "../../components/PageHeader";
import { formatDateTime, fullName } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";

/** Staff & Privileges: every operator user and what they may do. The Cloud-Admin's row is read-only. */
export default function StaffList() {
  const session = useSession();
  const staff = createAsync(() => getStaff());
  return (
    <div class="page">
      <PageHeader title="Staff & Privileges" trail={menuPath(session(), "/staff")} />
      <AsyncView data={staff} loading="Loading staff…">
        {(members) => (
          <Show when={members().length > 0} fallback={<p class="empty-state">There are no staff members yet.</p>}>
            <div class="table-wrap" role="region" aria-labelledby="staff-caption" tabindex="0">
              <table class="table">
                <caption id="staff-caption" class="sr-only">
                  Staff members and their privileges
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Privileges</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last sign-in</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={members()}>
                    {(member) => (
                      <tr>
                        <th scope="row">{fullName(member)}</th>
                        <td>{member.email}</td>
                        <td>{ROLE_LABELS[member.role]}</td>
                        <td>
                          <Show
                            when={member.role !== "cloud_admin"}
                            fallback={<strong>All privileges</strong>}
                          >
                            <Show when={member.privileges.length > 0} fallback={<span class="muted">No privileges</span>}>
                              <ul class="plain-list">
                                <For each={PRIVILEGES.filter((p) => member.privileges.includes(p))}>
                                  {(p) => <li>{PRIVILEGE_LABELS[p]}</li>}
                                </For>
                              </ul>
                            </Show>
                          </Show>
                        </td>
                        <td>
                          <StatusBadge status={member.status} />
                        </td>
                        <td class="nowrap">{member.lastLoginAt ? formatDateTime(member.lastLoginAt) : "Never"}</td>
                        <td>
                          <Show when={member.role !== "cloud_admin"} fallback={<span class="muted">Read-only</span>}>
                            <a href={`/staff/${encodeURIComponent(member.id)}`}>
                              Edit privileges<span class="sr-only"> of {fullName(member)}</span>
                            </a>
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        )}
      </AsyncView>
    </div>
  );
}
