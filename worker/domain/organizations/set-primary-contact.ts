import { and, eq, isNull } from "drizzle-orm";
import type { OrganizationDetail } from "../../contract/dto";
import { organizations, users } from "../../db/schema";
import { conflict, validationFailed } from "../../errors";
import { atomically } from "../../db/atomic";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";
import { getOrganization } from "./get";
import { getOrganizationRowInScope } from "./internal";
import { SetPrimaryContactInput } from "../../contract/inputs/organizations";

/**
 * Makes an active user of the organization its primary contact (the address invoices go to).
 * Guards: organization in scope (else NOT_FOUND); user belongs to it and is active (else VALIDATION_FAILED).
 * The update is conditional on the contact not having changed since it was read; audit row in the same batch.
 */
export async function setPrimaryContact(args: { ctx: ActorContext; orgId: string; input: SetPrimaryContactInput }): Promise<OrganizationDetail> {
  const input = SetPrimaryContactInput.parse(args.input);
  const { ctx, orgId } = args;
  const org = await getOrganizationRowInScope(ctx, orgId);
  const user = await ctx.db
    .select({ id: users.id, status: users.status, email: users.email })
    .from(users)
    .where(and(eq(users.id, input.userId), eq(users.orgId, orgId)))
    .get();
  if (!user) throw validationFailed({ userId: "Choose a user of this organization." });
  if (user.status !== "active") throw validationFailed({ userId: "A disabled user cannot be the primary contact." });
  if (org.primaryId === user.id) return getOrganization({ ctx, id: orgId });

  const now = ctx.clock.now();
  const unchangedSinceRead = org.primaryId === null ? isNull(organizations.primaryUserId) : eq(organizations.primaryUserId, org.primaryId);
  const [update] = await atomically(ctx.db, [
    ctx.db
      .update(organizations)
      .set({ primaryUserId: user.id, updatedAt: now })
      .where(and(eq(organizations.id, orgId), unchangedSinceRead)),
    auditIfChanged(ctx, {
      action: "organization.primary_contact.changed",
      orgId,
      targetType: "organization",
      targetId: orgId,
      before: { primaryContact: org.primaryEmail ?? null },
      after: { primaryContact: user.email },
    }),
  ]);
  if (!update?.meta.changes) throw conflict("The primary contact was changed by someone else. Reload and try again.");
  return getOrganization({ ctx, id: orgId });
}
