/** Collection test helpers: payers with a primary contact, unpaid invoices, wallet credit and the ledger's sums. */
import { eq, sql } from "drizzle-orm";
import { atomically } from "../worker/db/atomic";
import { newId } from "../worker/db/ids";
import { invoices, organizations, paymentCustomers, paymentMethods } from "../worker/db/schema";
import { postingStatements } from "../worker/domain/ledger/post";
import { fixedClock } from "../worker/integrations/clock";
import { monthStart, testNow, today } from "./clock";
import { createOrg, createUser, db } from "./factories";
import { callerAs } from "./helpers";
import { stripeClient } from "./local-stripe";
import { addCard, enableStripe, typedCard } from "./worker/routes/payment-helpers";

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

/** Stripe on (local Stripe) and a payer whose card `number` is on file (added the way the browser does it). */
export async function payerWithCard(number = "4242424242424242") {
  const operator = await createOrg({ kind: "operator" });
  const admin = await createUser({ orgId: operator.id, role: "cloud_admin" });
  await enableStripe(admin.id);
  const p = await payer();
  const call = await callerAs(p.user.id);
  const { res, body } = await addCard(call, number);
  if (res.status !== 201 && res.status !== 200) throw new Error(`add card: ${res.status} ${JSON.stringify(body)}`);
  const card = (await db().select().from(paymentMethods).where(eq(paymentMethods.orgId, p.org.id)).get())!;
  return { ...p, admin, call, card };
}

/** The PaymentIntents the local Stripe holds for this organization's customer. */
export async function gatewayCharges(orgId: string) {
  const cus = await db().select().from(paymentCustomers).where(eq(paymentCustomers.orgId, orgId)).get();
  if (!cus) return [];
  const list = await stripeClient().paymentIntents.list({ customer: cus.gatewayCustomerId, limit: 100 });
  return list.data;
}

/**
 * A card saved earlier (its setup done then), stored the way Add a Card stores it: for cards whose behaviour
 * shows only when charged later (declines at charge, 3-D Secure asked by the issuer off-session).
 */
export async function cardOnFile(orgId: string, number: string) {
  const stripe = stripeClient();
  let cus = await db().select().from(paymentCustomers).where(eq(paymentCustomers.orgId, orgId)).get();
  if (!cus) {
    const created = await stripe.customers.create({ metadata: { org_id: orgId } });
    cus = { orgId, gateway: "stripe", gatewayCustomerId: created.id, createdAt: testNow() };
    await db().insert(paymentCustomers).values(cus);
  }
  const pm = await stripe.paymentMethods.attach(await typedCard(number), { customer: cus.gatewayCustomerId });
  const now = testNow();
  const id = newId("card", now);
  await db().insert(paymentMethods).values({
    id, orgId, gateway: "stripe", gatewayCustomerId: cus.gatewayCustomerId, gatewayPaymentMethodId: pm.id, brand: pm.card!.brand, last4: pm.card!.last4,
    expMonth: pm.card!.exp_month, expYear: pm.card!.exp_year, fingerprint: pm.card!.fingerprint ?? pm.id, status: "active",
    isDefault: !(await db().select().from(paymentMethods).where(eq(paymentMethods.orgId, orgId)).get()), createdAt: now, updatedAt: now,
  });
  return (await db().select().from(paymentMethods).where(eq(paymentMethods.id, id)).get())!;
}

/** A payer whose card (saved earlier) is `number`, Stripe on. */
export async function payerWithSavedCard(number: string) {
  const operator = await createOrg({ kind: "operator" });
  const admin = await createUser({ orgId: operator.id, role: "cloud_admin" });
  await enableStripe(admin.id);
  const p = await payer();
  return { ...p, admin, card: await cardOnFile(p.org.id, number) };
}
