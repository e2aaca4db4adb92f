/**
 * Cron: hosted payments still pending after a while are reconciled by status query (ADR 016b), so a lost
 * callback and a payer who never came back still end as paid, failed, cancelled or expired.
 */
import { and, asc, eq, lt } from "drizzle-orm";
import { payments } from "../../db/schema";
import type { DomainContext } from "../context";
import { activeHostedGateway } from "./gateway";
import { reconcileHostedPayment } from "./reconcile";

const QUIET_MS = 2 * 60_000;
const PAGE = 50;

export async function sweepHostedPayments(ctx: DomainContext): Promise<{ checked: number; failed: number }> {
  const gw = await activeHostedGateway(ctx);
  if (!gw) return { checked: 0, failed: 0 };
  const rows = await ctx.db.select().from(payments)
    .where(and(eq(payments.status, "pending"), eq(payments.channel, "adpay"), lt(payments.updatedAt, ctx.clock.now() - QUIET_MS)))
    .orderBy(asc(payments.updatedAt)).limit(PAGE);
  let failed = 0;
  for (const p of rows) {
    try {
      // Still pending: to the back of the queue, so a page of long-pending payments never starves the rest.
      if ((await reconcileHostedPayment(ctx, p, gw)) === "pending") await ctx.db.update(payments).set({ updatedAt: ctx.clock.now() }).where(and(eq(payments.id, p.id), eq(payments.status, "pending")));
    } catch (err) {
      failed++;
      console.error(`[cumulus] hosted payment ${p.id} not reconciled:`, err);
    }
  }
  return { checked: rows.length, failed };
}
