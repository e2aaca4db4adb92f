import { and, eq, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { OrganizationSummary } from "../../contract/dto";
import { organizations, users } from "../../db/schema";
import { notFound } from "../../errors";
import type { ActorContext } from "../context";
import { visibleOrganizations } from "../tenancy";

export const reseller = alias(organizations, "reseller");
export const primary = alias(users, "primary_user");

/** Columns and joins that make an OrganizationSummary; shared by list and detail. */
export function summaryQuery(ctx: ActorContext) {
  return ctx.db.select(summaryColumns()).from(organizations).leftJoin(reseller, eq(reseller.id, organizations.resellerId)).leftJoin(primary, eq(primary.id, organizations.primaryUserId));
}

export function summaryColumns() {
  return {
      id: organizations.id,
      name: organizations.name,
      kind: organizations.kind,
      status: organizations.status,
      country: organizations.country,
      city: organizations.city,
      phone: organizations.phone,
      email: organizations.email,
      timeZone: organizations.timeZone,
      createdAt: organizations.createdAt,
      resellerId: reseller.id,
      resellerName: reseller.name,
      primaryId: primary.id,
      primaryFirst: primary.firstName,
      primaryLast: primary.lastName,
      primaryEmail: primary.email,
      userCount: sql<number>`(SELECT COUNT(*) FROM ${users} WHERE ${users.orgId} = ${organizations.id})`,
  };
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>["all"]>>[number];

/** Phone, email and time zone are not part of a summary: the list does not read them (list.ts). */
export function toSummary(row: Omit<SummaryRow, "phone" | "email" | "timeZone">): OrganizationSummary {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    status: row.status,
    country: row.country,
    city: row.city,
    reseller: row.resellerId && row.resellerName ? { id: row.resellerId, name: row.resellerName, kind: "reseller" } : null,
    primaryContact: row.primaryId
      ? { id: row.primaryId, name: `${row.primaryFirst} ${row.primaryLast}`, email: row.primaryEmail ?? "" }
      : null,
    userCount: Number(row.userCount),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/**
 * Fetch-or-throw within the caller's tenancy: another tenant's organization is NOT_FOUND. The operator's own
 * organization is not a customer or reseller and is not managed through these screens.
 */
export async function getOrganizationRowInScope(ctx: ActorContext, id: string): Promise<SummaryRow> {
  const row = await summaryQuery(ctx)
    .where(and(eq(organizations.id, id), ne(organizations.kind, "operator"), visibleOrganizations(ctx)))
    .get();
  if (!row) throw notFound("Organization");
  return row;
}

