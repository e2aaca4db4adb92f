/**
 * One card attempt on an invoice (docs/decisions/019-collection.md): a `pending` payment row is written BEFORE
 * the gateway is called, under the key `pi:{invoiceId}:{attempt}` (unique), so
 * - two collectors racing on one invoice cannot both charge (the second insert fails: PAYMENT_IN_PROGRESS);
 * - a timeout, a dropped answer, a 5xx or a 429 leaves the row pending, and the next run replays the SAME key
 *   (the gateway answers with what it did the first time), never a fresh attempt.
 */
import { and, desc, eq, gte, inArray, lt } from "drizzle-orm";
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

/**
 * The kinds of keyed attempt: a card on one invoice (`pi:{invoiceId}:{n}`, this file), "Pay all" of an
 * organization (`pa:{orgId}:{n}`, worker/domain/self-pay/pay-all.ts) and one invoice on a gateway's own page
 * (`adpay:{invoiceId}:{n}`, worker/domain/hosted-pay/). Same row, same rules; only the prefix differs.
 */
export const attemptKey = {
  invoice: (invoiceId: string) => `pi:${invoiceId}:`,
  payAll: (orgId: string) => `pa:${orgId}:`,
  hosted: (invoiceId: string) => `adpay:${invoiceId}:`,
} as const;
const keyPrefix = attemptKey.invoice;

/** The attempts under a key prefix so far (newest first), read through the unique key index. */
export async function keyedAttempts(ctx: Pick<DomainContext, "db">, prefix: string): Promise<PaymentRow[]> {
  return ctx.db.select().from(payments).where(and(gte(payments.idempotencyKey, prefix), lt(payments.idempotencyKey, `${prefix}\uffff`))).orderBy(desc(payments.createdAt), desc(payments.id));
}

/** The invoice's card attempts so far (newest first). */
export const cardAttempts = (ctx: Pick<DomainContext, "db">, invoiceId: string): Promise<PaymentRow[]> => keyedAttempts(ctx, keyPrefix(invoiceId));

/**
 * A charge whose answer is still outstanding cannot be followed by another charge of the same money: the
 * organization's open Pay all charge (pending) holds every single-invoice charge, and an invoice's open attempt
 * (pending, or waiting for 3-D Secure) keeps it out of Pay all. Otherwise both could succeed: a double charge
 * (found by test/worker/domain/collection/fault-injection.test.ts).
 */
export async function openPayAll(ctx: Pick<DomainContext, "db">, orgId: string): Promise<PaymentRow | undefined> {
  return (await keyedAttempts(ctx, attemptKey.payAll(orgId))).find((r) => r.status === "pending");
}

/** The organization's invoices with an open single-invoice attempt (pending or waiting for 3-D Secure). */
export async function invoicesWithOpenAttempt(ctx: Pick<DomainContext, "db">, orgId: string): Promise<Set<string>> {
  const rows = await ctx.db.select({ key: payments.idempotencyKey }).from(payments)
    .where(and(eq(payments.orgId, orgId), inArray(payments.status, ["pending", "requires_action"]), gte(payments.idempotencyKey, "pi:"), lt(payments.idempotencyKey, "pi:\uffff")));
  return new Set(rows.map((r) => r.key.split(":")[1]!));
}

export type PlannedShare = NonNullable<PaymentRow["plannedAllocations"]>[number];

/**
 * Writes the row of a keyed attempt BEFORE the gateway is called; a second one under the key is refused. Every
 * payment that a gateway may answer later starts here: a saved card (`card`), a new card typed into the gateway's
 * fields (no card yet, `requires_action` until the browser confirms) and a hosted page (`channel: "adpay"`).
 */
export async function openKeyedAttempt(ctx: DomainContext, a: {
  orgId: string; card: CardRow | null; gateway: string; key: string; amountMinor: number; currency: string; initiatedBy: PaymentInitiator;
  planned?: PlannedShare[]; busy: string; channel?: PaymentRow["channel"]; status?: PaymentRow["status"];
}): Promise<PaymentRow> {
  const now = ctx.clock.now();
  const row: PaymentRow = {
    id: newId("payment", now), orgId: a.orgId, channel: a.channel ?? "card", gateway: a.gateway, paymentMethodId: a.card?.id ?? null, cardFingerprint: a.card?.fingerprint ?? null,
    gatewayPaymentId: null, idempotencyKey: a.key, amountMinor: a.amountMinor, currency: a.currency, status: a.status ?? "pending",
    declineCode: null, failureMessage: null, initiatedBy: a.initiatedBy, actorUserId: ctx.principal?.userId ?? null, createdAt: now, updatedAt: now, settledAt: null,
    plannedAllocations: a.planned ?? null,
  };
  try {
    await ctx.db.insert(payments).values(row);
  } catch (err) {
    if (isUniqueViolation(err, "payments")) throw new DomainError("PAYMENT_IN_PROGRESS", a.busy);
    throw err;
  }
  return row;
}

/** One invoice's next attempt under `pi:{invoiceId}:{attempt}`: a saved card, or (no card) a new card's. */
export const openAttempt = (ctx: DomainContext, a: { inv: PayableInvoice; card: CardRow | null; gateway: string; amountMinor: number; attempt: number; initiatedBy: PaymentInitiator; status?: PaymentRow["status"] }): Promise<PaymentRow> =>
  openKeyedAttempt(ctx, { ...a, orgId: a.inv.orgId, currency: a.inv.currency, key: `${keyPrefix(a.inv.id)}${a.attempt}`, busy: "A payment of this invoice is already in progress." });

/**
 * The charge itself, off-session unless the customer is paying; errors without an answer become GatewayUnavailable.
 * `metadata` must be a function of the row alone: a replay of the key has to send the very same request.
 */
export async function chargeKeyed(gw: CardGateway, p: PaymentRow, card: CardRow, metadata: Record<string, string>): Promise<ChargeOutcome> {
  if (!gw.gateway.capabilities.has("offSessionCharge")) throw new DomainError("PAYMENTS_UNAVAILABLE", "The active gateway cannot charge cards on file.");
  try {
    return await gw.gateway.charge({
      amountMinor: p.amountMinor, currency: p.currency, gatewayCustomerId: card.gatewayCustomerId, gatewayPaymentMethodId: card.gatewayPaymentMethodId,
      idempotencyKey: p.idempotencyKey, offSession: p.initiatedBy !== "customer", metadata,
    });
  } catch (err) {
    if (err instanceof GatewayRequestError) throw new DomainError("CARD_REFUSED", `The gateway refused the payment: ${err.message}`);
    if (err instanceof GatewayTransientError) throw new GatewayUnavailable(err.rateLimited, p.id);
    throw new GatewayUnavailable(false, p.id);
  }
}

export const callGateway = (gw: CardGateway, p: PaymentRow, card: CardRow, inv: PayableInvoice): Promise<ChargeOutcome> =>
  chargeKeyed(gw, p, card, { org_id: inv.orgId, invoice_id: inv.id, invoice_number: inv.number ?? "", payment_id: p.id });
