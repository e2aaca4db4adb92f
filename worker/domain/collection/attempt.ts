/**
 * One card attempt on an invoice (docs/decisions/019-collection.md): a `pending` payment row is written BEFORE
 * the gateway is called, under the key `pi:{invoiceId}:{attempt}` (unique), so
 * - two collectors racing on one invoice cannot both charge (the second insert fails: PAYMENT_IN_PROGRESS);
 * - a timeout, a dropped answer, a 5xx or a 429 leaves the row pending, and the next run replays the SAME key
 *   (the gateway answers with what it did the first time), never a fresh attempt.
 */
import { and, desc, gte, lt } from "drizzle-orm";
import type { PaymentInitiator } from "../../contract/collection";
import { newId } from "../../db/ids";
import { isUniqueViolation } from "../../db/unique";
import { payments } from "../../db/schema";
import { DomainError } from "../../errors";
import { GatewayRequestError, GatewayTransientError, type ChargeOutcome } from "../../integrations/payments/gateway";
import type { DomainContext } from "../context";
import type { CardGateway } from "../payments/card-gateway";
import type { CardRow } from "../payments/cards";
import type { PayableInvoice } from "./wallet-first";

export type PaymentRow = typeof payments.$inferSelect;

/** The gateway did not give an answer we can act on; the attempt stays pending and is replayed later. */
export class GatewayUnavailable extends DomainError {
  constructor(readonly rateLimited: boolean, readonly paymentId: string) {
    super("PAYMENTS_UNAVAILABLE", rateLimited
      ? "The card gateway is limiting requests right now; the payment will be confirmed automatically."
      : "The card gateway did not answer in time; the payment will be confirmed automatically (it is never charged twice).");
  }
}

const keyPrefix = (invoiceId: string) => `pi:${invoiceId}:`;

/** The invoice's card attempts so far (newest first), read through the unique key index. */
export async function cardAttempts(ctx: Pick<DomainContext, "db">, invoiceId: string): Promise<PaymentRow[]> {
  const p = keyPrefix(invoiceId);
  return ctx.db.select().from(payments).where(and(gte(payments.idempotencyKey, p), lt(payments.idempotencyKey, `${p}\uffff`))).orderBy(desc(payments.createdAt), desc(payments.id));
}

export async function openAttempt(ctx: DomainContext, a: { inv: PayableInvoice; card: CardRow; gateway: string; amountMinor: number; attempt: number; initiatedBy: PaymentInitiator }): Promise<PaymentRow> {
  const now = ctx.clock.now();
  const row: PaymentRow = {
    id: newId("payment", now), orgId: a.inv.orgId, channel: "card", gateway: a.gateway, paymentMethodId: a.card.id, cardFingerprint: a.card.fingerprint,
    gatewayPaymentId: null, idempotencyKey: `${keyPrefix(a.inv.id)}${a.attempt}`, amountMinor: a.amountMinor, currency: a.inv.currency, status: "pending",
    declineCode: null, failureMessage: null, initiatedBy: a.initiatedBy, actorUserId: ctx.principal?.userId ?? null, createdAt: now, updatedAt: now, settledAt: null,
  };
  try {
    await ctx.db.insert(payments).values(row);
  } catch (err) {
    if (isUniqueViolation(err, "payments")) throw new DomainError("PAYMENT_IN_PROGRESS", "A payment of this invoice is already in progress.");
    throw err;
  }
  return row;
}

/** The charge itself, off-session unless the customer is paying; errors without an answer become GatewayUnavailable. */
export async function callGateway(gw: CardGateway, p: PaymentRow, card: CardRow, inv: PayableInvoice): Promise<ChargeOutcome> {
  if (!gw.gateway.capabilities.has("offSessionCharge")) throw new DomainError("PAYMENTS_UNAVAILABLE", "The active gateway cannot charge cards on file.");
  try {
    return await gw.gateway.charge({
      amountMinor: p.amountMinor, currency: p.currency, gatewayCustomerId: card.gatewayCustomerId, gatewayPaymentMethodId: card.gatewayPaymentMethodId,
      idempotencyKey: p.idempotencyKey, offSession: p.initiatedBy !== "customer",
      metadata: { org_id: inv.orgId, invoice_id: inv.id, invoice_number: inv.number ?? "", payment_id: p.id },
    });
  } catch (err) {
    if (err instanceof GatewayRequestError) throw new DomainError("CARD_REFUSED", `The gateway refused the payment: ${err.message}`);
    if (err instanceof GatewayTransientError) throw new GatewayUnavailable(err.rateLimited, p.id);
    throw new GatewayUnavailable(false, p.id);
  }
}
