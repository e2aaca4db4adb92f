/** Collection test helpers: payers with a primary contact, unpaid invoices, wallet credit and the ledger's sums. */
import { eq, sql } from "drizzle-orm";
import { atomically } from "../worker/db/atomic";
import { newId } from "../worker/db/ids";
import { invoices, organizations } from "../worker/db/schema";
import { postingStatements } from "../worker/domain/ledger/post";
import { fixedClock } from "../worker/integrations/clock";
import { monthStart, testNow, today } from "./clock";
import { createOrg, createUser, db } from "./factories";

let seq = 0;

/** A customer organization whose primary contact receives the collection emails. */
export async function payer() {
  const org = await createOrg();
  const user = await createUser({ orgId: org.id, role: "customer" });
  await db().update(organizations).set({ primaryUserId: user.id }).where(eq(organizations.id, org.id));
  return { org, user };
}

/** An issued, unpaid invoice (issued `issuedDaysAgo` days ago), with its `invoice_issued` posting. */
export async function issuedInvoice(orgId: string, totalMinor: number, issuedDaysAgo = 0, currency = "EUR"): Promise<string> {
  const id = newId("invoice");
  const now = testNow();
  await db().insert(invoices).values({
    id, orgId, kind: "manual", number: `COL-${Date.now()}-${++seq}`, series: "COL", status: "unpaid",
    issueDate: today(-issuedDaysAgo), dueDate: today(14 - issuedDaysAgo), periodFrom: monthStart(-1, now), periodTo: monthStart(0, now),
    currency, precision: 2, subtotalMinor: totalMinor, taxMinor: 0, totalMinor, createdAt: now, updatedAt: now, issuedAt: now,
  });
  await atomically(db(), postingStatements({ clock: fixedClock(now) }, {
    orgId, kind: "invoice_issued", direction: "none", amountMinor: totalMinor, currency, invoiceId: id, idempotencyKey: `invoice_issued:${id}`,
    entries: [{ account: "receivable", amountMinor: totalMinor }, { account: "revenue", amountMinor: -totalMinor }],
  }).statements);
  return id;
}

/** Paid credit in the organization's wallet (a top-up). */
export async function topUp(orgId: string, amountMinor: number, currency = "EUR") {
  await atomically(db(), postingStatements({ clock: fixedClock(testNow()) }, {
    orgId, kind: "wallet_topup", direction: "in", amountMinor, currency, idempotencyKey: `topup:${crypto.randomUUID()}`,
    entries: [{ account: "cash", amountMinor }, { account: "wallet_paid", amountMinor: -amountMinor }],
  }).statements);
}

/** Σ ledger entries per account for an organization. */
export async function balances(orgId: string): Promise<Record<string, number>> {
  const rows = await db().all<{ account: string; total: number }>(sql`SELECT account, SUM(amount_minor) AS total FROM ledger_entries WHERE org_id = ${orgId} GROUP BY account`);
  return Object.fromEntries(rows.map((r) => [r.account, Number(r.total)]));
}

export const invoiceRow = async (id: string) => (await db().select().from(invoices).where(eq(invoices.id, id)).get())!;

export async function outboxEvents(orgId: string): Promise<string[]> {
  const rows = await db().all<{ event: string }>(sql`SELECT event FROM email_outbox WHERE org_id = ${orgId} AND copy_kind = 'recipient' ORDER BY created_at, rowid`);
  return rows.map((r) => r.event);
}
