/**
 * The automatic retry schedule of a declined invoice (docs/decisions/019-collection.md): 1, 3 and 5 days after
 * the declines, never after a do-not-retry decline, never on a blocked card, and at most 10 attempts per card
 * in 30 days (the networks' limit). Pure decision + the `invoice_collections` upsert.
 */
import { and, count, eq, gte } from "drizzle-orm";
import { rawStatement, type RawStatement } from "../../db/atomic";
import { invoiceCollections, payments } from "../../db/schema";
import type { DomainContext } from "../context";

export const RETRY_DAYS = [1, 3, 5] as const;
export const CARD_ATTEMPTS_PER_30_DAYS = 10;
const DAY = 86_400_000;

export type StopReason = "do_not_retry" | "card_blocked" | "schedule_done" | "card_attempt_limit" | "not_automatic";

export async function nextRetry(ctx: Pick<DomainContext, "db" | "clock">, r: { invoiceId: string; fingerprint: string; hard: boolean; blocked: boolean; automatic: boolean }): Promise<{ attempts: number; at: number | null; stopped: StopReason | null }> {
  const now = ctx.clock.now();
  const [row, recent] = await Promise.all([
    ctx.db.select({ attempts: invoiceCollections.attempts }).from(invoiceCollections).where(eq(invoiceCollections.invoiceId, r.invoiceId)).get(),
    ctx.db.select({ n: count() }).from(payments).where(and(eq(payments.cardFingerprint, r.fingerprint), gte(payments.createdAt, now - 30 * DAY))).get(),
  ]);
  const attempts = (row?.attempts ?? 0) + 1;
  const stopped: StopReason | null = !r.automatic ? "not_automatic" : r.hard ? "do_not_retry" : r.blocked ? "card_blocked"
    : attempts > RETRY_DAYS.length ? "schedule_done" : (recent?.n ?? 0) >= CARD_ATTEMPTS_PER_30_DAYS ? "card_attempt_limit" : null;
  return { attempts, at: stopped ? null : now + RETRY_DAYS[attempts - 1]! * DAY, stopped };
}

export function collectionStatement(now: number, c: { invoiceId: string; orgId: string; at: number | null; stopped: string | null; code: string; message: string }): RawStatement {
  return rawStatement(
    `INSERT INTO invoice_collections (invoice_id, org_id, attempts, next_attempt_at, last_decline_code, last_failure_message, stopped_reason, updated_at)
     VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7)
     ON CONFLICT (invoice_id) DO UPDATE SET attempts = attempts + 1, next_attempt_at = ?3, last_decline_code = ?4, last_failure_message = ?5, stopped_reason = ?6, updated_at = ?7`,
    [c.invoiceId, c.orgId, c.at, c.code, c.message, c.stopped, now],
  );
}
