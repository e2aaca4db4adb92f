/**
 * Declines → Blocked (docs/decisions/019-collection.md). Every decline counts against the card's fingerprint
 * (removing and re-adding the card keeps the count); at "No of Decline Payments Allowed" (credit_card_settings
 * .decline_limit) the fingerprint is blocked and every saved card with it becomes Blocked, in the same batch
 * as the failed payment. "Authentication required" is not a decline of the card and does not count.
 */
import { eq } from "drizzle-orm";
import { rawStatement, type RawStatement } from "../../db/atomic";
import { cardDeclines } from "../../db/schema";
import type { DomainContext } from "../context";
import { cardSettings } from "../payments/card-settings";

/** Codes that mean "do not try this card again" (the networks' rules): never retried automatically. */
const DO_NOT_RETRY = new Set(["lost_card", "stolen_card", "pickup_card", "fraudulent", "restricted_card", "invalid_account", "new_account_information_available", "do_not_honor", "revocation_of_authorization", "security_violation", "transaction_not_allowed"]);
export const isHardDecline = (code: string, gatewaySays = false) => gatewaySays || DO_NOT_RETRY.has(code);

export interface DeclineCount {
  /** The count after this decline. */
  count: number;
  limit: number;
  /** True when this decline is the one that blocks the card. */
  blocksNow: boolean;
}

export async function nextDeclineCount(ctx: Pick<DomainContext, "db">, fingerprint: string): Promise<DeclineCount> {
  const [row, settings] = await Promise.all([ctx.db.select().from(cardDeclines).where(eq(cardDeclines.fingerprint, fingerprint)).get(), cardSettings(ctx)]);
  const count = (row?.count ?? 0) + 1;
  const limit = Math.max(1, settings.declineLimit);
  return { count, limit, blocksNow: !row?.blockedAt && count >= limit };
}

export function declineStatements(now: number, d: { fingerprint: string; code: string; reason: string; limit: number }): RawStatement[] {
  return [
    rawStatement(
      `INSERT INTO card_declines (fingerprint, count, last_decline_code, last_decline_reason, last_declined_at, updated_at) VALUES (?1, 1, ?2, ?3, ?4, ?4)
       ON CONFLICT (fingerprint) DO UPDATE SET count = count + 1, last_decline_code = ?2, last_decline_reason = ?3, last_declined_at = ?4, updated_at = ?4`,
      [d.fingerprint, d.code, d.reason, now],
    ),
    rawStatement(`UPDATE card_declines SET blocked_at = ?1 WHERE fingerprint = ?2 AND blocked_at IS NULL AND count >= ?3`, [now, d.fingerprint, d.limit]),
    rawStatement(
      `UPDATE payment_methods SET decline_count = (SELECT count FROM card_declines WHERE fingerprint = ?1),
         status = CASE WHEN status = 'active' AND (SELECT blocked_at FROM card_declines WHERE fingerprint = ?1) IS NOT NULL THEN 'blocked' ELSE status END, updated_at = ?2
       WHERE fingerprint = ?1 AND status <> 'removed'`,
      [d.fingerprint, now],
    ),
  ];
}
