/**
 * The collection cron (docs/decisions/019-collection.md): finds what automatic collection still owes an attempt
 * and enqueues it on `cumulus-collect` (the paced consumer does the charging):
 * - invoices whose scheduled retry is due (1, 3, 5 days after declines; retries.ts decided when);
 * - card attempts left pending for more than 2 minutes (no answer, the worker gone): replayed with their key;
 * - Auto Payment invoices issued more than 10 minutes ago never attempted (their queue message was lost).
 */
import { sql } from "drizzle-orm";
import type { DomainContext } from "../context";
import { enqueueCollection } from "../billing/issuing/collect";

const PAGE = 100;

export async function collectDue(ctx: Pick<DomainContext, "db" | "clock" | "collectQueue">): Promise<{ retries: number; pending: number; missed: number }> {
  const now = ctx.clock.now();
  const ids = async (query: ReturnType<typeof sql>) => (await ctx.db.all<{ id: string }>(query)).map((r) => r.id);
  const retries = await ids(sql`SELECT c.invoice_id AS id FROM invoice_collections c JOIN invoices i ON i.id = c.invoice_id
    WHERE c.next_attempt_at IS NOT NULL AND c.next_attempt_at <= ${now} AND i.status = 'unpaid' ORDER BY c.next_attempt_at LIMIT ${PAGE}`);
  // Card attempt keys are `pi:{invoiceId}:{attempt}` (attempt.ts): the invoice id is what lies between the colons.
  const pending = await ids(sql`SELECT DISTINCT substr(idempotency_key, 4, instr(substr(idempotency_key, 4), ':') - 1) AS id FROM payments
    WHERE status = 'pending' AND idempotency_key >= 'pi:' AND idempotency_key < 'pi;' AND updated_at < ${now - 2 * 60_000} LIMIT ${PAGE}`);
  const missed = await ids(sql`SELECT i.id FROM invoices i JOIN auto_payments ap ON ap.org_id = i.org_id AND ap.enabled = 1
    WHERE i.status = 'unpaid' AND i.issued_at < ${now - 10 * 60_000} AND i.issued_at >= ap.updated_at
      AND NOT EXISTS (SELECT 1 FROM invoice_collections c WHERE c.invoice_id = i.id)
      AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.idempotency_key >= 'pi:' || i.id || ':' AND p.idempotency_key < 'pi:' || i.id || ':~')
    LIMIT ${PAGE}`);
  // Retries first: a retry message is "retry", the others resume or start automatic collection.
  await enqueueCollection(ctx, retries, "retry");
  await enqueueCollection(ctx, [...new Set([...pending, ...missed])].filter((id) => !retries.includes(id)), "auto");
  return { retries: retries.length, pending: pending.length, missed: missed.length };
}
