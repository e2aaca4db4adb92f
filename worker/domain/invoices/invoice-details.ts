/**
 * Billing Configurations → "Invoice Details": the operator as the seller on invoices and credit notes. Until
 * they are saved, invoices fall back to the operator organization's name and country.
 */
import { eq } from "drizzle-orm";
import { InvoiceDetailsInput, type InvoiceDetails } from "../../contract/invoice-details";
import type { AppDb } from "../../db/client";
import { atomically } from "../../db/atomic";
import { invoiceDetails, organizations } from "../../db/schema";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";

type Row = typeof invoiceDetails.$inferSelect;

function toDto(row: Row | undefined, operator: { name: string; country: string; city: string | null } | undefined): InvoiceDetails {
  if (!row) {
    return {
      configured: false, legalName: operator?.name ?? "", addressLine1: "", addressLine2: null, postalCode: null, city: operator?.city ?? "", region: null,
      country: operator?.country ?? "", taxId: null, registrationNumber: null, bankName: null, iban: null, bic: null, accountNumber: null, routingNumber: null,
      footer: null, updatedAt: null,
    };
  }
  const { id: _id, updatedAt, ...rest } = row;
  return { configured: true, ...rest, updatedAt: new Date(updatedAt).toISOString() };
}

export async function getInvoiceDetails(args: { ctx: { db: AppDb } }): Promise<InvoiceDetails> {
  const { db } = args.ctx;
  const [row, operator] = await Promise.all([
    db.select().from(invoiceDetails).where(eq(invoiceDetails.id, 1)).get(),
    db.select({ name: organizations.name, country: organizations.country, city: organizations.city }).from(organizations).where(eq(organizations.kind, "operator")).limit(1).get(),
  ]);
  return toDto(row, operator);
}

/** Saves the details (upsert of the single row) with an audit row in the same batch. Issued invoices keep theirs. */
export async function updateInvoiceDetails(args: { ctx: ActorContext; input: InvoiceDetailsInput }): Promise<InvoiceDetails> {
  const input = InvoiceDetailsInput.parse(args.input);
  const { ctx } = args;
  const before = await ctx.db.select().from(invoiceDetails).where(eq(invoiceDetails.id, 1)).get();
  const now = ctx.clock.now();
  const values = { id: 1, ...input, updatedAt: now };
  const { id: _b, updatedAt: _bu, ...beforeDiff } = before ?? ({} as Partial<Row>);
  await atomically(ctx.db, [
    ctx.db.insert(invoiceDetails).values(values).onConflictDoUpdate({ target: invoiceDetails.id, set: { ...input, updatedAt: now } }),
    auditStatement(ctx, { action: "billing.invoice_details.updated", orgId: null, targetType: "invoice_details", targetId: "1", before: before ? beforeDiff : null, after: input }),
  ]);
  return getInvoiceDetails({ ctx });
}
