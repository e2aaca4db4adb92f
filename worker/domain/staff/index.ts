/**
 * Staff of the operator and their privileges. Only the Cloud-Admin manages privileges (route policy "admin").
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { StaffMember } from "../../contract/dto";
import { PRIVILEGES } from "../../contract/roles";
import { users } from "../../db/schema";
import { notFound } from "../../errors";
import { atomically } from "../../db/atomic";
import { auditIfChanged } from "../audit/record";
import { parsePrivileges } from "../sessions/store";
import type { ActorContext } from "../context";
import { personColumns } from "../person-columns";

export const SetPrivilegesInput = z.object({
  privileges: z
    .array(z.enum(PRIVILEGES, { error: "Unknown privilege." }))
    .max(PRIVILEGES.length)
    .transform((list) => [...new Set(list)].sort()),
});
export type SetPrivilegesInput = z.input<typeof SetPrivilegesInput>;

const staffColumns = { ...personColumns, privileges: users.privileges };

function toStaff(row: { id: string; email: string; firstName: string; lastName: string; role: string; privileges: string; status: "active" | "disabled"; lastLoginAt: number | null }): StaffMember {
  const role = row.role === "cloud_admin" ? "cloud_admin" : "staff";
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    role,
    privileges: role === "cloud_admin" ? [...PRIVILEGES] : parsePrivileges(row.privileges),
    status: row.status,
    lastLoginAt: row.lastLoginAt === null ? null : new Date(row.lastLoginAt).toISOString(),
  };
}

export async function listStaff(args: { ctx: ActorContext }): Promise<StaffMember[]> {
  const rows = await args.ctx.db
    .select(staffColumns)
    .from(users)
    .where(inArray(users.role, ["cloud_admin", "staff"]))
    .orderBy(asc(users.role), asc(users.lastName), asc(users.firstName));
  return rows.map(toStaff);
}

/** Replaces a staff member's privileges. Cloud-Admins hold every privilege and cannot be edited here (NOT_FOUND). */
export async function setStaffPrivileges(args: { ctx: ActorContext; userId: string; input: SetPrivilegesInput }): Promise<StaffMember> {
  const input = SetPrivilegesInput.parse(args.input);
  const { ctx, userId } = args;
  const current = await ctx.db
    .select(staffColumns)
    .from(users)
    .where(and(eq(users.id, userId), eq(users.role, "staff")))
    .get();
  if (!current) throw notFound("Staff member");
  const before = parsePrivileges(current.privileges).sort();
  const next = JSON.stringify(input.privileges);
  if (JSON.stringify(before) === next) return toStaff(current);

  const now = ctx.clock.now();
  await atomically(ctx.db, [
    ctx.db
      .update(users)
      .set({ privileges: next, updatedAt: now })
      .where(and(eq(users.id, userId), eq(users.role, "staff"), eq(users.privileges, current.privileges))),
    auditIfChanged(ctx, {
      action: "staff.privileges.changed",
      orgId: ctx.principal.orgId,
      targetType: "user",
      targetId: userId,
      before: { privileges: before },
      after: { privileges: input.privileges },
    }),
  ]);
  const updated = await ctx.db.select(staffColumns).from(users).where(eq(users.id, userId)).get();
  return toStaff(updated!);
}
