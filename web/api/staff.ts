/** Staff members and their privileges (Cloud-Admin only). */
import { action, json, query } from "@solidjs/router";
import type { StaffMember } from "../../worker/contract/dto";
import type { Privilege } from "../../worker/contract/roles";
import { api } from "./client";

export const getStaff = query(
  async () => (await api.get<{ items: StaffMember[] }>("/staff")).items,
  "staff.list",
);

export const updateStaffPrivileges = action(async (staffId: string, privileges: Privilege[]) => {
  const member = await api.put<StaffMember>(`/staff/${encodeURIComponent(staffId)}/privileges`, { privileges });
  return json(member, { revalidate: "staff." });
}, "updateStaffPrivileges");
