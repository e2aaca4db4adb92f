/**
 * An organization's "Billing Details": the postal address, VAT / tax number and tax exemption printed on its
 * invoices (docs/decisions/013-invoice-documents.md). Tenancy as for the organization (NOT_FOUND outside the
 * caller's scope). Issued invoices keep the details they were issued with; a change applies to the next one.
 */
import { and, eq } from "drizzle-orm";
import { BillingDetailsInput, suggestsReverseCharge, type BillingDetails } from "../../contract/invoice-details";
import { atomically } from "../../db/atomic";
import { invoiceDetails, organizations } from "../../db/schema";
import { conflict } from "../../errors";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";
import { getOrganizationRowInScope } from "./internal";

const columns = {
  legalName: organizations.legalName, addressLine1: organizations.addressLine1, addressLine2: organizations.addressLine2, postalCode: organizations.postalCode,
  city: organizations.city, region: organizations.region, country: organizations.country, taxId: organizations.taxId, taxExemptReason: organizations.taxExemptReason,
  updatedAt: organizations.updatedAt,
};

async function read(ctx: ActorContext, orgId: string) {
  await getOrganizationRowInScope(ctx, orgId);
  const [row, seller] = await Promise.all([
    ctx.db.select(columns).from(organizations).where(eq(organizations.id, orgId)).get(),
    ctx.db.select({ country: invoiceDetails.country }).from(invoiceDetails).where(eq(invoiceDetails.id, 1)).get(),
  ]);
  return { row: row!, sellerCountry: seller?.country ?? null };
}

export async function getBillingDetails(args: { ctx: ActorContext; orgId: string }): Promise<BillingDetails> {
  const { row, sellerCountry } = await read(args.ctx, args.orgId);
  const { updatedAt: _u, ...details } = row;
  return { ...details, reverseChargeSuggested: suggestsReverseCharge(sellerCountry, row) };
}

export async function updateBillingDetails(args: { ctx: ActorContext; orgId: string; input: BillingDetailsInput }): Promise<BillingDetails> {
  const input = BillingDetailsInput.parse(args.input);
  const { ctx, orgId } = args;
  const { row: before } = await read(ctx, orgId);
  const { taxExempt: _t, ...values } = input;
  const now = ctx.clock.now();
  const { updatedAt, ...beforeValues } = before;
  // Conditional on the row not having changed since it was read: two people editing at once do not silently overwrite.
  const [update] = await atomically(ctx.db, [
    ctx.db.update(organizations).set({ ...values, updatedAt: now }).where(and(eq(organizations.id, orgId), eq(organizations.updatedAt, updatedAt))),
    auditIfChanged(ctx, { action: "organization.billing_details.updated", orgId, targetType: "organization", targetId: orgId, before: beforeValues, after: values }),
  ]);
  if (!update?.meta.changes) throw conflict("The billing details were changed by someone else. Reload and try again.");
  return getBillingDetails({ ctx, orgId });
}
