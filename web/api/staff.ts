/** Staff members and their privileges (Cloud-Admin only). */
import { action, json, query } from "@solidjs/router";
import type { Privilege } from "../../worker/contract/roles";
import { client, enc, unwrap } from "./client";

export const getStaff = query(
  async () => (await unwrap(client.api.staff.$get())).items,
  "staff.list",
);

export const updateStaffPrivileges = action(async (staffId: string, privileges: Privilege[]) => {
  const member = await unwrap(client.api.staff[":id"].privileges.$put({ param: { id: enc(staffId) }, json: { privileges } }));
  return json(member, { revalidate: "staff." });
}, "updateStaffPrivileges");
