/**
 * Payment Info » Auto Payment (the manual's steps: choose the card, toggle "Auto Payment" ON, confirm). The
 * organization's own setting; the card must be its own, active card (another tenant's card is NOT_FOUND).
 * From then on every invoice issued to it is charged soon after issue (collect.ts). Audited.
 */
import { eq } from "drizzle-orm";
import { AutoPaymentInput, type AutoPayment } from "../../contract/collection";
import { atomically } from "../../db/atomic";
import { autoPayments, paymentPreferences } from "../../db/schema";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { cardStatus, ownCard, ownOrg } from "../payments/cards";
import { cardBlocked, isBlocked } from "./card";

export async function getAutoPayment(args: { ctx: ActorContext }): Promise<AutoPayment> {
  const orgId = ownOrg(args.ctx);
  const row = await args.ctx.db.select().from(autoPayments).where(eq(autoPayments.orgId, orgId)).get();
  return { enabled: row?.enabled ?? false, cardId: row?.paymentMethodId ?? null };
}

export async function setAutoPayment(args: { ctx: ActorContext; input: AutoPaymentInput }): Promise<AutoPayment> {
  const input = AutoPaymentInput.parse(args.input);
  const { ctx } = args;
  const orgId = ownOrg(ctx);
  let cardId: string | null = null;
  if (input.enabled) {
    const card = await ownCard(ctx, orgId, input.cardId!);
    if (await isBlocked(ctx, card)) throw cardBlocked(card);
    if (cardStatus(card, ctx.clock.now()) === "expired") throw new DomainError("CARD_REFUSED", `The card ending ${card.last4} has expired; choose another card.`, { cardId: "This card has expired." });
    const pref = await ctx.db.select({ mode: paymentPreferences.mode }).from(paymentPreferences).where(eq(paymentPreferences.orgId, orgId)).get();
    if (pref?.mode === "offline") throw new DomainError("CONFLICT", "You pay offline (bank transfer); choose online payment before turning Auto Payment on.");
    cardId = card.id;
  }
  const now = ctx.clock.now();
  const values = { enabled: input.enabled, paymentMethodId: cardId, updatedBy: ctx.principal.userId, updatedAt: now };
  await atomically(ctx.db, [
    ctx.db.insert(autoPayments).values({ orgId, ...values }).onConflictDoUpdate({ target: autoPayments.orgId, set: values }),
    auditStatement(ctx, { action: input.enabled ? "payments.auto_payment.enabled" : "payments.auto_payment.disabled", orgId, targetType: "organization", targetId: orgId, after: { enabled: input.enabled, cardId } }),
  ]);
  return { enabled: input.enabled, cardId };
}
