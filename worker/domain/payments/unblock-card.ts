/**
 * Credit Card Status >> Unblock: a staff member with the billing privilege lifts a card's Blocked status, with a
 * reason (audited). The decline count starts again from zero, so the card has the full "No of Decline Payments
 * Allowed" before it can be blocked again. docs/decisions/019b-card-health-and-self-pay.md
 */
import { and, eq, ne } from "drizzle-orm";
import type { CardStatusRow, UnblockCardInput } from "../../contract/card-status";
import { atomically, rawStatement } from "../../db/atomic";
import { paymentMethods } from "../../db/schema";
import { DomainError, notFound } from "../../errors";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";
import { listCardStatus } from "./card-status";

export async function unblockCard(args: { ctx: ActorContext; cardId: string; input: UnblockCardInput }): Promise<CardStatusRow | null> {
  const { ctx, cardId, input } = args;
  const card = await ctx.db.select().from(paymentMethods).where(and(eq(paymentMethods.id, cardId), ne(paymentMethods.status, "removed"))).get();
  if (!card) throw notFound("Card");
  if (card.status !== "blocked") throw new DomainError("CARD_NOT_BLOCKED", "This card is not blocked.");
  const now = ctx.clock.now();
  const [update] = await atomically(ctx.db, [
    rawStatement("UPDATE payment_methods SET status = 'active', decline_count = 0, updated_at = ? WHERE id = ? AND status = 'blocked'", [now, card.id]),
    auditIfChanged(ctx, {
      action: "payments.card.unblocked", orgId: card.orgId, targetType: "card", targetId: card.id,
      before: { status: "blocked", declineCount: card.declineCount }, after: { status: "active", declineCount: 0, reason: input.reason },
    }),
  ]);
  // Two staff members unblocking at once: the second finds nothing left to do.
  if (!update?.meta.changes) throw new DomainError("CARD_NOT_BLOCKED", "This card is not blocked.");
  const row = await listCardStatus({ ctx, input: { orgId: card.orgId, page: 1, pageSize: 1 } });
  return row.items[0] ?? null;
}
