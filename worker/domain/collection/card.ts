/**
 * The card a collection charges, and whether it may be charged: the one asked for, else the organization's
 * Auto Payment card, else its default card. A card is blocked when its row says so or when its fingerprint
 * reached the decline limit (`card_declines.blocked_at`, docs/decisions/019-collection.md).
 */
import { and, eq } from "drizzle-orm";
import { autoPayments, cardDeclines, paymentMethods } from "../../db/schema";
import { DomainError } from "../../errors";
import type { DomainContext } from "../context";
import { cardStatus, type CardRow } from "../payments/cards";

export const noCard = () => new DomainError("NO_CARD", "This organization has no card on file to charge. Ask the customer to add one in Payment Info.");
export const cardBlocked = (c: Pick<CardRow, "last4">) =>
  new DomainError("CARD_BLOCKED", `The card ending ${c.last4} is blocked after too many declined payments; it must be updated or replaced (or unblocked by billing staff) first.`);

export async function chargeableCard(ctx: Pick<DomainContext, "db" | "clock">, orgId: string, wanted?: string): Promise<CardRow> {
  const card = await pickCard(ctx, orgId, wanted);
  if (!card) throw noCard();
  if (await isBlocked(ctx, card)) throw cardBlocked(card);
  if (cardStatus(card, ctx.clock.now()) === "expired") throw new DomainError("CARD_REFUSED", `The card ending ${card.last4} has expired. Ask the customer to update it in Payment Info.`);
  return card;
}

async function pickCard(ctx: Pick<DomainContext, "db">, orgId: string, wanted?: string): Promise<CardRow | undefined> {
  const own = (id: string) => ctx.db.select().from(paymentMethods).where(and(eq(paymentMethods.id, id), eq(paymentMethods.orgId, orgId))).get();
  if (wanted) {
    const row = await own(wanted);
    return row && row.status !== "removed" ? row : undefined;
  }
  const auto = await ctx.db.select().from(autoPayments).where(eq(autoPayments.orgId, orgId)).get();
  if (auto?.enabled && auto.paymentMethodId) {
    const row = await own(auto.paymentMethodId);
    if (row && row.status !== "removed") return row;
  }
  return ctx.db.select().from(paymentMethods).where(and(eq(paymentMethods.orgId, orgId), eq(paymentMethods.isDefault, true))).get()
    .then((r) => (r && r.status !== "removed" ? r : undefined));
}

export async function isBlocked(ctx: Pick<DomainContext, "db">, card: Pick<CardRow, "status" | "fingerprint">): Promise<boolean> {
  if (card.status === "blocked") return true;
  const d = await ctx.db.select({ blockedAt: cardDeclines.blockedAt }).from(cardDeclines).where(eq(cardDeclines.fingerprint, card.fingerprint)).get();
  return d?.blockedAt != null;
}
