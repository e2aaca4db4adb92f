/**
 * Billing one page of a run, set-based (docs/decisions/014-billing-run-set-based.md). From the page read in one
 * batch (page.ts): plan each subscription's due periods (plan.ts), then the four issuing steps for the whole page
 * — draft every invoice, number them from the one number read, post them, prepare their emails — and write
 * everything in ONE batch:
 *
 *   run cursor compare-and-set (+ guard) · series block (+ guard) · invoices, lines, taxes, issue · ledger ·
 *   outbox · billed_through
 *
 * All or nothing: a redelivered or concurrent copy of the page finds the cursor moved and aborts before writing
 * anything; a concurrent run that invoiced one of these periods first, or issued in the series, makes the insert
 * or the series guard abort the batch; the caller re-reads and retries. So each (subscription, period) is
 * invoiced exactly once and numbers stay gapless whatever the interleaving.
 */
import { currency } from "../../contract/currencies";
import { abortUnlessChanged, atomically, isGuardAbort, rawStatement, type RawStatement } from "../../db/atomic";
import type { EmailMessage } from "../../contract/messages";
import type { DomainContext } from "../context";
import { outboxFor } from "../email/notify";
import { addDays } from "./dates";
import { draftInvoice, type DraftInvoice, type InvoiceDraft } from "./issuing/draft";
import { numberInvoices, reserveNumbersStatements, seriesFor } from "./issuing/number";
import { invoiceIssuedNotification } from "./issuing/notify";
import { postInvoices } from "./issuing/post";
import { advanceSubscriptionsStatements, issueStatements } from "./issuing/write";
import type { PageData, RunRow } from "./page";
import { planSubscription } from "./plan";

export interface PageOutcome {
  invoices: number;
  /** The invoices issued, for collection (issuing/collect.ts). */
  invoiceIds: string[];
  messages: EmailMessage[];
}

/** Lost to a concurrent writer (page done elsewhere, period invoiced, series moved): nothing was written. */
const isLostRace = (err: unknown) => isGuardAbort(err) || /UNIQUE constraint failed: invoices\./.test(String(err));

function planPage(page: PageData, run: RunRow): { drafts: InvoiceDraft[]; advances: Array<[string, string]> } {
  const dueDate = addDays(run.asOf, page.settings.paymentTermsDays);
  const drafts: InvoiceDraft[] = [];
  const advances: Array<[string, string]> = [];
  for (const sub of page.subs) {
    const contract = page.contracts.get(sub.contractId);
    const plan = planSubscription(sub, {
      asOf: run.asOf, dueDate, runId: run.id, contract, fixed: (contract && page.fixedByPlan.get(contract.planId)) ?? [],
      usage: page.usageBySub.get(sub.id) ?? [], invoiced: page.invoiced,
    });
    drafts.push(...plan.invoices);
    if (plan.billedThrough) advances.push([sub.id, plan.billedThrough]);
  }
  return { drafts, advances };
}

function draftPage(page: PageData, drafts: InvoiceDraft[], now: number): DraftInvoice[] {
  const { settings } = page;
  const exponent = currency(settings.currency).exponent;
  return drafts.map((d) => {
    const country = page.countryOf.get(d.orgId);
    const rules = (country === undefined ? undefined : page.rulesByCountry.get(country)) ?? [];
    return draftInvoice(d, { currency: settings.currency, exponent, precision: settings.precision, rules, taxExemptReason: page.exemptOf.get(d.orgId) ?? null }, now);
  });
}

/** The run moves from the cursor this page was read at, or the batch aborts (the page was billed elsewhere). */
function cursorStatements(page: PageData, run: RunRow, invoices: number, now: number): RawStatement[] {
  const last = page.subs.length ? page.subs[page.subs.length - 1]!.id : run.cursor;
  const finished = page.more ? 0 : 1;
  return [
    rawStatement(
      `UPDATE billing_runs SET cursor = ?, processed_subscriptions = processed_subscriptions + ?, invoices_created = invoices_created + ?, heartbeat_at = ?,
         status = CASE WHEN ? THEN 'completed' ELSE status END, finished_at = CASE WHEN ? THEN ? ELSE finished_at END
       WHERE id = ? AND status = 'running' AND cursor IS ?`,
      [last, page.subs.length, invoices, now, finished, finished, now, run.id, run.cursor],
    ),
    abortUnlessChanged(),
  ];
}


/** Bills the page read in `page`; null when a concurrent writer won (nothing written: re-read and retry). */
export async function billPage(ctx: DomainContext, page: PageData & { run: RunRow }): Promise<PageOutcome | null> {
  const { run } = page;
  const now = ctx.clock.now();
  const { drafts, advances } = planPage(page, run);
  const series = seriesFor(page.settings.invoicePrefix, run.asOf);
  const invoices = numberInvoices(draftPage(page, drafts, now), series, page.nextNumber);
  const mail = outboxFor(ctx, invoices.map((inv) => invoiceIssuedNotification(ctx.config, inv, false)), page.audience);
  try {
    await atomically(ctx.db, [
      ...cursorStatements(page, run, invoices.length, now),
      ...reserveNumbersStatements(series, page.nextNumber, invoices.length),
      ...issueStatements(invoices, now),
      ...postInvoices(ctx, invoices),
      ...mail.statements,
      ...advanceSubscriptionsStatements(advances, now),
    ]);
  } catch (err) {
    if (isLostRace(err)) return null;
    throw err;
  }
  return { invoices: invoices.length, invoiceIds: invoices.map((i) => i.id), messages: mail.messages };
}
