/**
 * Automatic collection of issued invoices (docs/decisions/019-collection.md), run by the `cumulus-collect`
 * consumer: of the invoices named, those still unpaid whose organization has Auto Payment on are charged one
 * after another through the pacer. A 429 backs off and replays the same attempt (its key) up to 3 times; if the
 * gateway stays busy, the invoices not reached (and any left without an answer) are returned as `deferred` for
 * the queue to retry later.
 * An invoice that cannot be charged (no card, card blocked, payment in progress) is skipped with its reason.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { ChargeResult, PaymentInitiator } from "../../contract/collection";
import { autoPayments, invoices } from "../../db/schema";
import { DomainError } from "../../errors";
import type { DomainContext } from "../context";
import { GatewayUnavailable } from "./attempt";
import { chargeInvoice } from "./charge";
import type { Pacer } from "./pacer";

const MAX_429_IN_A_ROW = 3;

export interface CollectSummary {
  charged: Record<ChargeResult["status"], number>;
  skipped: Array<{ invoiceId: string; code: string }>;
  deferred: string[];
  rateLimited: number;
}

/** Ids per lookup: D1 binds at most 100 parameters per statement, and the query binds two more. */
const IDS_PER_LOOKUP = 90;

/**
 * The named invoices that automatic collection may charge: unpaid, organization with Auto Payment on. A message
 * carries up to 100 ids (a billing page), so they are looked up 90 at a time.
 */
async function collectible(ctx: DomainContext, ids: string[]): Promise<string[]> {
  const wanted = new Set<string>();
  for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
    const rows = await ctx.db.select({ id: invoices.id }).from(invoices)
      .innerJoin(autoPayments, and(eq(autoPayments.orgId, invoices.orgId), eq(autoPayments.enabled, true)))
      .where(and(inArray(invoices.id, ids.slice(i, i + IDS_PER_LOOKUP)), eq(invoices.status, "unpaid")));
    for (const r of rows) wanted.add(r.id);
  }
  return ids.filter((id) => wanted.has(id));
}

export async function collectInvoices(args: { ctx: DomainContext; input: { invoiceIds: string[]; initiatedBy: PaymentInitiator }; pacer: Pacer }): Promise<CollectSummary> {
  const { ctx, pacer, input } = args;
  const summary: CollectSummary = { charged: { paid: 0, requires_action: 0, declined: 0 }, skipped: [], deferred: [], rateLimited: 0 };
  const ids = await collectible(ctx, input.invoiceIds);
  for (let i = 0; i < ids.length; i++) {
    const outcome = await chargePaced(ctx, pacer, ids[i]!, input.initiatedBy, summary);
    if (outcome === "later") summary.deferred.push(ids[i]!);
    if (outcome === "busy") {
      summary.deferred.push(...ids.slice(i));
      break;
    }
  }
  return summary;
}

async function chargePaced(ctx: DomainContext, pacer: Pacer, invoiceId: string, initiatedBy: PaymentInitiator, summary: CollectSummary): Promise<"done" | "later" | "busy"> {
  for (let limited = 0; ; ) {
    await pacer.take();
    try {
      const result = await chargeInvoice({ ctx, input: { invoiceId, initiatedBy } });
      summary.charged[result.status]++;
      return "done";
    } catch (err) {
      if (err instanceof GatewayUnavailable && err.rateLimited) {
        summary.rateLimited++;
        if (++limited > MAX_429_IN_A_ROW) return "busy";
        await pacer.backoff(limited);
        continue;
      }
      // No answer: the attempt stays pending and is replayed with its key when the message is retried.
      if (err instanceof GatewayUnavailable) return "later";
      if (err instanceof DomainError) {
        summary.skipped.push({ invoiceId, code: err.code });
        return "done";
      }
      throw err;
    }
  }
}
