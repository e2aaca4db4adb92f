/**
 * Tenancy is structural: every query over tenant-owned rows goes through these filters, built from the
 * signed-in principal (never from request input).
 *
 * - operator users (Cloud-Admin, staff): every organization (their privileges were checked by the route policy)
 * - reseller users: their reseller organization and the customers whose `reseller_id` is that organization
 * - customer users: their own organization only
 *
 * Another tenant's object is reported as NOT_FOUND, never FORBIDDEN, so its existence is not revealed.
 */
import { eq, inArray, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { isOperatorRole } from "../contract/policy";
import { organizations } from "../db/schema";
import type { ActorContext } from "./context";

export function isOperator(ctx: ActorContext): boolean {
  return isOperatorRole(ctx.principal.role);
}

/** Filter for the `organizations` table itself; `undefined` means "no restriction" (operator). */
export function visibleOrganizations(ctx: ActorContext): SQL | undefined {
  const p = ctx.principal;
  if (isOperator(ctx)) return undefined;
  if (p.role === "reseller") return or(eq(organizations.id, p.orgId), eq(organizations.resellerId, p.orgId));
  return eq(organizations.id, p.orgId);
}

/** Filter for any table with an `org_id` column. */
export function ownedByVisibleOrg(ctx: ActorContext, orgIdColumn: SQLiteColumn): SQL | undefined {
  const p = ctx.principal;
  if (isOperator(ctx)) return undefined;
  if (p.role === "reseller") {
    const customers = ctx.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.resellerId, p.orgId));
    return or(eq(orgIdColumn, p.orgId), inArray(orgIdColumn, customers));
  }
  return eq(orgIdColumn, p.orgId);
}
