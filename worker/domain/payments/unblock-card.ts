/**
 * Lifting a card's Blocked status (docs/decisions/019b-card-health-and-self-pay.md). Blocked lives on the card's
 * fingerprint (`card_declines.blocked_at`, docs/decisions/019-collection.md) and on its saved rows
 * (`payment_methods.status`); both are cleared together, for every saved row of that fingerprint.
 * - Credit Card Status >> Unblock: staff with billing.write, with a reason (audited). The decline count starts
 *   again from zero: the card gets the full "No of Decline Payments Allowed" again.
 * - A fresh successful validation: the customer saves the card again (a new PaymentMethod confirmed by a
 *   SetupIntent, `storeCard`). The block is lifted but the count is kept, so removing and re-adding a card
 *   does not buy more declines.
 */
import { and, eq, ne } from "drizzle-orm";
import type { CardStatusRow, UnblockCardInput } from "../../contract/card-status";
import { atomically, rawStatement, type RawStatement } from "../../db/atomic";
import { cardDeclines, paymentMethods } from "../../db/schema";
import { DomainError, notFound } from "../../errors";
import { auditIfChanged } from "../audit/record";
import type { ActorContext, DomainContext } from "../context";
import { listCardStatus } from "./card-status";

const BLOCKED = "(EXISTS (SELECT 1 FROM payment_methods WHERE fingerprint = ? AND status = 'blocked') OR EXISTS (SELECT 1 FROM card_declines WHERE fingerprint = ? AND blocked_at IS NOT NULL))";

/**
 * The statements that lift a block, first the one whose `changes()` says whether anything was blocked (so an
 * `auditIfChanged` may follow it). `onlyIf` is extra SQL with its params that must hold too.
 */
export function liftBlockStatements(now: number, fingerprint: string, opts: { resetCount: boolean; onlyIf?: { sql: string; params: unknown[] } }): [RawStatement, RawStatement] {
  const cond = opts.onlyIf ? ` AND ${opts.onlyIf.sql}` : "";
  const condParams = opts.onlyIf?.params ?? [];
  const count = opts.resetCount ? "0" : "card_declines.count";
  return [
    rawStatement(
      `INSERT INTO card_declines (fingerprint, count, blocked_at, updated_at) SELECT ?, 0, NULL, ? WHERE ${BLOCKED}${cond}
       ON CONFLICT (fingerprint) DO UPDATE SET count = ${count}, blocked_at = NULL, updated_at = excluded.updated_at`,
      [fingerprint, now, fingerprint, fingerprint, ...condParams],
    ),
    rawStatement(`UPDATE payment_methods SET status = 'active', decline_count = ${opts.resetCount ? "0" : "decline_count"}, updated_at = ? WHERE fingerprint = ? AND status = 'blocked'${cond}`,
      [now, fingerprint, ...condParams]),
  ];
}

async function isBlocked(ctx: DomainContext, row: typeof paymentMethods.$inferSelect): Promise<boolean> {
  if (row.status === "blocked") return true;
  const d = await ctx.db.select({ blockedAt: cardDeclines.blockedAt }).from(cardDeclines).where(eq(cardDeclines.fingerprint, row.fingerprint)).get();
  return Boolean(d?.blockedAt);
}

export async function unblockCard(args: { ctx: ActorContext; cardId: string; input: UnblockCardInput }): Promise<CardStatusRow | null> {
  const { ctx, cardId, input } = args;
  const card = await ctx.db.select().from(paymentMethods).where(and(eq(paymentMethods.id, cardId), ne(paymentMethods.status, "removed"))).get();
  if (!card) throw notFound("Card");
  if (!(await isBlocked(ctx, card))) throw new DomainError("CARD_NOT_BLOCKED", "This card is not blocked.");
  const declines = await ctx.db.select({ count: cardDeclines.count }).from(cardDeclines).where(eq(cardDeclines.fingerprint, card.fingerprint)).get();
  const [lift, rows] = liftBlockStatements(ctx.clock.now(), card.fingerprint, { resetCount: true });
  const [update] = await atomically(ctx.db, [
    lift,
    auditIfChanged(ctx, {
      action: "payments.card.unblocked", orgId: card.orgId, targetType: "card", targetId: card.id,
      before: { status: "blocked", declineCount: declines?.count ?? card.declineCount }, after: { status: "active", declineCount: 0, reason: input.reason },
    }),
    rows,
  ]);
  // Two staff members unblocking at once: the second finds nothing left to do.
  if (!update?.meta.changes) throw new DomainError("CARD_NOT_BLOCKED", "This card is not blocked.");
  const row = await listCardStatus({ ctx, input: { orgId: card.orgId, page: 1, pageSize: 1 } });
  return row.items[0] ?? null;
}

/**
 * Appended to `storeCard`'s batch: when that batch inserted the card row `cardId` (a new PaymentMethod the
 * gateway just validated; a replayed webhook inserts nothing), its fingerprint's block is lifted (audited) and,
 * if the organization's default card is blocked, the new card replaces it as the default.
 */
export function freshValidationStatements(ctx: DomainContext, card: { id: string; orgId: string; fingerprint: string }): RawStatement[] {
  const inserted = { sql: "EXISTS (SELECT 1 FROM payment_methods WHERE id = ?)", params: [card.id] };
  const now = ctx.clock.now();
  const [lift, rows] = liftBlockStatements(now, card.fingerprint, { resetCount: false, onlyIf: inserted });
  return [
    lift,
    auditIfChanged(ctx, { action: "payments.card.unblocked", orgId: card.orgId, targetType: "card", targetId: card.id, after: { status: "active", reason: "The card was saved again and validated by the gateway." } }),
    rows,
    rawStatement(`UPDATE payment_methods SET is_default = 0, updated_at = ? WHERE org_id = ? AND is_default = 1 AND id <> ?
      AND (status = 'blocked' OR fingerprint IN (SELECT fingerprint FROM card_declines WHERE blocked_at IS NOT NULL)) AND EXISTS (SELECT 1 FROM payment_methods WHERE id = ?)`, [now, card.orgId, card.id, card.id]),
    rawStatement("UPDATE payment_methods SET is_default = 1, updated_at = ? WHERE id = ? AND status = 'active' AND NOT EXISTS (SELECT 1 FROM payment_methods WHERE org_id = ? AND is_default = 1)", [now, card.id, card.orgId]),
  ];
}
