import { and, eq } from "drizzle-orm";
import { issueDateWarning, ManualInvoiceInput, zeroTotalWarning, type InvoiceDetail } from "../../contract/billing";
import { currency } from "../../contract/currencies";
import { formatMoney, parseDecimal } from "../../contract/money";
import { contracts, organizations, products } from "../../db/schema";
import { DomainError, validationFailed } from "../../errors";
import type { ActorContext } from "../context";
import { issueInvoice } from "../billing/issue";
import { settingsRow } from "../billing/settings";
import { getInvoice } from "./read";

/**
 * "Create" (manual invoice): for a customer or reseller organization, optionally tied to one of its contracts,
 * with items from the contract's plan or typed in. Issued at once (gapless number, taxes of the organization's
 * country effective on the issue date, ledger, audit, email). "Paid" records an offline payment in the same
 * batch; the status is never a bare flag.
 */
export async function createManualInvoice(args: { ctx: ActorContext; input: ManualInvoiceInput }): Promise<InvoiceDetail> {
  const input = ManualInvoiceInput.parse(args.input);
  const { ctx } = args;
  const org = await ctx.db.select({ id: organizations.id, kind: organizations.kind, country: organizations.country, taxExemptReason: organizations.taxExemptReason }).from(organizations).where(eq(organizations.id, input.orgId)).get();
  if (!org || org.kind === "operator") throw validationFailed({ orgId: "Choose an organization from the list." });
  if (org.kind !== input.for) throw validationFailed({ orgId: input.for === "customer" ? "Choose a customer." : "Choose a reseller." });
  if (input.contractId) {
    const contract = await ctx.db.select({ id: contracts.id }).from(contracts).where(and(eq(contracts.id, input.contractId), eq(contracts.orgId, org.id))).get();
    if (!contract) throw validationFailed({ contractId: "Choose a contract of this organization." });
  }
  const fields: Record<string, string> = {};
  for (const [i, item] of input.items.entries()) {
    if (item.productId) {
      const p = await ctx.db.select({ id: products.id }).from(products).where(eq(products.id, item.productId)).get();
      if (!p) fields[`items.${i}.productId`] = "This product does not exist.";
    }
  }
  if (Object.keys(fields).length) throw validationFailed(fields);
  // Consequences a person must confirm on purpose (CONFIRMATION_REQUIRED, one message per field, all at once).
  const confirmations: Record<string, string> = {};
  const dateWarning = issueDateWarning(input.issueDate, new Date(ctx.clock.now()).toISOString().slice(0, 10));
  if (dateWarning && !input.confirmIssueDate) confirmations.issueDate = dateWarning;
  const settings = await settingsRow(ctx.db);
  const beforeIssue = (computed: { totalMinor: bigint }) => {
    if (computed.totalMinor === 0n && !input.confirmZeroTotal) {
      confirmations.total = zeroTotalWarning(formatMoney(0n, settings.currency, currency(settings.currency).exponent));
    }
    if (Object.keys(confirmations).length) {
      throw new DomainError("CONFIRMATION_REQUIRED", "Please confirm before the invoice is issued.", confirmations);
    }
  };
  const result = await issueInvoice(
    ctx,
    {
      orgId: org.id, subscriptionId: null, contractId: input.contractId ?? null, kind: "manual",
      issueDate: input.issueDate, dueDate: input.dueDate, periodFrom: input.periodFrom, periodTo: input.periodTo,
      lines: input.items.map((it) => ({
        description: it.description, productId: it.productId ?? null, unit: it.unit || "unit", taxable: it.taxable,
        quantity: parseDecimal(it.quantity, 6)!, unitPrice: parseDecimal(it.unitPrice, 6)!,
        periodFrom: input.periodFrom, periodTo: input.periodTo,
      })),
    },
    { settings, org: { country: org.country, taxExemptReason: org.taxExemptReason }, audit: true, beforeIssue, ...(input.status === "paid" ? { markPaid: { reference: "Marked paid at creation", description: "Manual invoice created as paid" } } : {}) },
  );
  return getInvoice({ ctx, id: result.id });
}
