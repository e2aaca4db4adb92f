/**
 * Settling a succeeded payment (docs/decisions/019-collection.md): THE one way money lands on invoices, for
 * every channel (card charge, Capture Payment, Pay now / Pay all, ADPAY, the wallet).
 *
 * Guards (tenancy, currency, what is still due), then ONE batch (settle-batch.ts): invoices paid or part-paid,
 * allocations, ledger postings (cash in or wallet down, receivable down — the Transaction Logs entries), the
 * payment row, the audit row and the "payment received" email in the outbox. Then, after commit, the email is
 * dispatched and dunning told (`invoiceSettled`).
 *
 * Idempotent on the gateway payment id and on the payment's idempotency key: settling the same payment again
 * (a webhook after the charge's own answer, a redelivered queue message) writes nothing and returns the first
 * result. A lost race (the invoice paid another way between read and batch) aborts the batch; we re-read and
 * plan again, so a card payment's money then lands on what is still due and the rest becomes wallet credit.
 */
import { and, eq, inArray, or } from "drizzle-orm";
import { SettleInput, type SettleParsed, type SettleResult } from "../../contract/collection";
import { atomically, isGuardAbort } from "../../db/atomic";
import { newId } from "../../db/ids";
import { isUniqueViolation } from "../../db/unique";
import { invoices, paymentAllocations, payments } from "../../db/schema";
import { conflict } from "../../errors";
import { auditStatement } from "../audit/record";
import type { DomainContext } from "../context";
import { invoiceSettled } from "../dunning/invoice-settled";
import { dispatchEmails } from "../email/notify";
import { planAllocations, type OpenInvoice } from "./allocate";
import { paymentReceivedEmail } from "./emails";
import { settleStatements } from "./settle-batch";

const MAX_RACES = 3;

export async function settleInvoices(args: { ctx: DomainContext; input: SettleInput }): Promise<SettleResult> {
  const input = SettleInput.parse(args.input);
  const { ctx } = args;
  for (let race = 0; ; race++) {
    const known = await findPayment(ctx, input);
    if (known?.status === "succeeded") return replayOf(ctx, known);
    try {
      return await settleOnce(ctx, input, known?.id ?? null);
    } catch (err) {
      const lost = isGuardAbort(err) || isUniqueViolation(err, "payments");
      if (!lost || race + 1 >= MAX_RACES) throw lost ? conflict("The invoices changed while the payment was being recorded; try again.") : err;
    }
  }
}

async function settleOnce(ctx: DomainContext, input: SettleParsed, pendingId: string | null): Promise<SettleResult> {
  const plan = planAllocations({
    orgId: input.orgId, currency: input.currency, amountMinor: input.amountMinor, invoices: await openInvoices(ctx, input),
    requested: input.allocations, strict: input.channel === "wallet",
  });
  const paymentId = pendingId ?? newId("payment", ctx.clock.now());
  const mail = await paymentReceivedEmail(ctx, input, paymentId, plan.allocations);
  await atomically(ctx.db, [
    ...settleStatements(ctx, input, { paymentId, existing: pendingId !== null, ...plan }),
    auditStatement(ctx, {
      action: "payment.succeeded", orgId: input.orgId, targetType: "payment", targetId: paymentId,
      after: { channel: input.channel, gateway: input.gateway ?? null, gatewayPaymentId: input.gatewayPaymentId ?? null, amountMinor: input.amountMinor, currency: input.currency, initiatedBy: input.initiatedBy, allocations: plan.allocations, surplusMinor: plan.surplusMinor },
    }),
    ...mail.statements,
  ]);
  await dispatchEmails(ctx, mail.messages);
  await invoiceSettled(ctx, input.orgId);
  return { paymentId, replay: false, allocations: plan.allocations, surplusMinor: plan.surplusMinor };
}

/** The payment already recorded under this key or gateway payment id, if any. */
async function findPayment(ctx: DomainContext, input: SettleParsed) {
  const byGateway = input.gatewayPaymentId && input.gateway ? and(eq(payments.gateway, input.gateway), eq(payments.gatewayPaymentId, input.gatewayPaymentId)) : undefined;
  const rows = await ctx.db.select().from(payments).where(byGateway ? or(eq(payments.idempotencyKey, input.idempotencyKey), byGateway) : eq(payments.idempotencyKey, input.idempotencyKey));
  return rows.find((r) => r.status === "succeeded") ?? rows[0];
}

async function replayOf(ctx: DomainContext, p: typeof payments.$inferSelect): Promise<SettleResult> {
  const rows = await ctx.db.select({ invoiceId: paymentAllocations.invoiceId, amountMinor: paymentAllocations.amountMinor }).from(paymentAllocations).where(eq(paymentAllocations.paymentId, p.id));
  const allocated = rows.reduce((s, r) => s + r.amountMinor, 0);
  return { paymentId: p.id, replay: true, allocations: rows, surplusMinor: p.amountMinor - allocated };
}

/** The invoices the payment may go to: the ones named, or the organization's unpaid ones (oldest first, a page). */
async function openInvoices(ctx: DomainContext, input: SettleParsed): Promise<OpenInvoice[]> {
  const cols = { id: invoices.id, orgId: invoices.orgId, number: invoices.number, status: invoices.status, currency: invoices.currency, totalMinor: invoices.totalMinor, amountPaidMinor: invoices.amountPaidMinor, issueDate: invoices.issueDate };
  if (input.allocations) return ctx.db.select(cols).from(invoices).where(inArray(invoices.id, input.allocations.map((a) => a.invoiceId)));
  return ctx.db.select(cols).from(invoices)
    .where(and(eq(invoices.orgId, input.orgId), eq(invoices.status, "unpaid"), eq(invoices.currency, input.currency)))
    .orderBy(invoices.issueDate, invoices.id).limit(90);
}
