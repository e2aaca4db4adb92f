/**
 * Saved cards: the row → what the portal shows, the tenancy guard, and the one write that stores a card the
 * gateway has confirmed (shared by Add a Card, the 3-D Secure return and the setup_intent.succeeded webhook, so
 * whichever arrives first stores it and the others find it there).
 */
import { and, eq, ne } from "drizzle-orm";
import { brandLabel, type Card } from "../../contract/payments";
import { atomically, rawStatement } from "../../db/atomic";
import { newId } from "../../db/ids";
import { paymentMethods } from "../../db/schema";
import { DomainError, forbidden, notFound } from "../../errors";
import type { CardSummary } from "../../integrations/payments/gateway";
import { auditIfChanged } from "../audit/record";
import type { ActorContext, DomainContext } from "../context";
import { freshValidationStatements } from "./unblock-card";

export type CardRow = typeof paymentMethods.$inferSelect;

/** Expired after the last day of the expiry month (UTC); Blocked wins. */
export function cardStatus(row: Pick<CardRow, "status" | "expMonth" | "expYear">, now: number): Card["status"] {
  if (row.status === "blocked") return "blocked";
  const firstDayAfter = Date.UTC(row.expYear, row.expMonth, 1);
  return now >= firstDayAfter ? "expired" : "active";
}

export function cardDto(row: CardRow, now: number): Card {
  return {
    id: row.id,
    brand: row.brand,
    brandLabel: brandLabel(row.brand),
    last4: row.last4,
    expMonth: row.expMonth,
    expYear: row.expYear,
    cardholderName: row.cardholderName,
    status: cardStatus(row, now),
    isDefault: row.isDefault,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** Payment Info is the caller's own organization; the operator has no cards. */
export function ownOrg(ctx: ActorContext): string {
  if (ctx.principal.orgKind === "operator") throw forbidden("Payment Info belongs to customer and reseller organizations.");
  return ctx.principal.orgId;
}

export async function listCardRows(ctx: Pick<DomainContext, "db">, orgId: string): Promise<CardRow[]> {
  return ctx.db.select().from(paymentMethods).where(and(eq(paymentMethods.orgId, orgId), ne(paymentMethods.status, "removed"))).orderBy(paymentMethods.createdAt);
}

/** A card of this organization (another tenant's card is simply not found). */
export async function ownCard(ctx: Pick<DomainContext, "db">, orgId: string, id: string): Promise<CardRow> {
  const row = await ctx.db.select().from(paymentMethods).where(and(eq(paymentMethods.id, id), eq(paymentMethods.orgId, orgId), ne(paymentMethods.status, "removed"))).get();
  if (!row) throw notFound("Card");
  return row;
}

export const SHARED_CARD_MESSAGE = "This card is already in use by another account, and cards cannot be shared between accounts here. Use another card.";

/**
 * Stores a confirmed card once (unique gateway payment method id). It becomes the default when the organization
 * has none. With "Link Multiple Accounts" off, the same fingerprint active on another organization is refused
 * inside the same statement, so two organizations racing with one card cannot both win.
 */
export async function storeCard(ctx: DomainContext, input: { orgId: string; gateway: string; gatewayCustomerId: string; card: CardSummary; cardholderName: string | null; linkMultiple: boolean }): Promise<CardRow> {
  const { card } = input;
  const now = ctx.clock.now();
  const id = newId("card", now);
  const shareGuard = input.linkMultiple ? "" : "AND NOT EXISTS (SELECT 1 FROM payment_methods WHERE fingerprint = ? AND status <> 'removed' AND org_id <> ?)";
  const [insert] = await atomically(ctx.db, [
    rawStatement(
      `INSERT INTO payment_methods (id, org_id, gateway, gateway_customer_id, gateway_payment_method_id, brand, last4, exp_month, exp_year, fingerprint, cardholder_name, status, is_default, decline_count, created_at, updated_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active',
         NOT EXISTS (SELECT 1 FROM payment_methods WHERE org_id = ? AND is_default = 1), 0, ?, ?
       WHERE 1 ${shareGuard}
       ON CONFLICT (gateway, gateway_payment_method_id) DO NOTHING`,
      [id, input.orgId, input.gateway, input.gatewayCustomerId, card.gatewayPaymentMethodId, card.brand, card.last4, card.expMonth, card.expYear, card.fingerprint, input.cardholderName, input.orgId, now, now, ...(input.linkMultiple ? [] : [card.fingerprint, input.orgId])],
    ),
    auditIfChanged(ctx, { action: "payments.card.added", orgId: input.orgId, targetType: "card", targetId: id, after: { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear } }),
    ...freshValidationStatements(ctx, { id, orgId: input.orgId, fingerprint: card.fingerprint }),
  ]);
  const row = await ctx.db.select().from(paymentMethods).where(and(eq(paymentMethods.gateway, input.gateway), eq(paymentMethods.gatewayPaymentMethodId, card.gatewayPaymentMethodId))).get();
  if (!row && !insert?.meta.changes) throw new DomainError("CARD_REFUSED", SHARED_CARD_MESSAGE);
  if (row!.orgId !== input.orgId) throw notFound("Card");
  return row!;
}

/**
 * When the organization has no default card any more, its oldest valid card (active, expiry month not passed)
 * becomes the default; a no-op otherwise. For a batch, after the statement that took the default away.
 */
export function promoteDefaultStatement(orgId: string, now: number) {
  const d = new Date(now);
  return rawStatement(
    `UPDATE payment_methods SET is_default = 1, updated_at = ?1 WHERE id = (SELECT id FROM payment_methods WHERE org_id = ?2 AND status = 'active' AND exp_year * 12 + exp_month > ?3 ORDER BY created_at, id LIMIT 1)
       AND NOT EXISTS (SELECT 1 FROM payment_methods WHERE org_id = ?2 AND is_default = 1)`,
    [now, orgId, d.getUTCFullYear() * 12 + d.getUTCMonth()],
  );
}
