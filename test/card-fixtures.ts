/** Saved cards and invoices written straight to D1, for the Credit Card Status and card health tests. */
import { newId } from "../worker/db/ids";
import { autoPayments, cardDeclines, invoices, paymentMethods, paymentPreferences } from "../worker/db/schema";
import { monthStart, testNow, today } from "./clock";
import { db } from "./factories";

let seq = 0;

/** The (year, month 1-12) `months` from the current test month. */
export function monthFromNow(months: number, from = testNow()): { year: number; month: number } {
  const d = new Date(from);
  const index = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

export async function savedCard(orgId: string, opts: { status?: "active" | "blocked" | "removed"; expiresIn?: number; brand?: string; last4?: string; declines?: number; isDefault?: boolean; fingerprint?: string } = {}) {
  const now = testNow();
  const exp = monthFromNow(opts.expiresIn ?? 24, now);
  const row = {
    id: newId("card", now), orgId, gateway: "stripe", gatewayCustomerId: `cus_${orgId}`, gatewayPaymentMethodId: `pm_fixture_${Date.now()}_${++seq}`,
    brand: opts.brand ?? "visa", last4: opts.last4 ?? "4242", expMonth: exp.month, expYear: exp.year, fingerprint: opts.fingerprint ?? `fp_${seq}_${orgId}`,
    cardholderName: "Ada Lovelace", status: opts.status ?? "active", isDefault: opts.isDefault ?? true, declineCount: opts.declines ?? 0, createdAt: now, updatedAt: now,
  };
  await db().insert(paymentMethods).values(row);
  return row;
}

export async function preferOffline(orgId: string) {
  await db().insert(paymentPreferences).values({ orgId, mode: "offline", updatedAt: testNow() });
}

/** An issued invoice (unpaid unless paid is given), optionally of a subscription. */
export async function issuedInvoice(orgId: string, totalMinor: number, opts: { subscriptionId?: string; status?: "unpaid" | "paid"; currency?: string } = {}) {
  const id = newId("invoice");
  const now = testNow();
  await db().insert(invoices).values({
    id, orgId, subscriptionId: opts.subscriptionId ?? null, kind: opts.subscriptionId ? "subscription" : "manual", number: `CCS-${Date.now()}-${++seq}`, series: "CCS",
    status: opts.status ?? "unpaid", issueDate: today(-3), dueDate: today(11), periodFrom: monthStart(-1, now), periodTo: monthStart(0, now),
    currency: opts.currency ?? "EUR", precision: 2, subtotalMinor: totalMinor, taxMinor: 0, totalMinor, amountPaidMinor: opts.status === "paid" ? totalMinor : 0,
    createdAt: now, updatedAt: now, issuedAt: now,
  });
  return id;
}

/** Declines counted on a card's fingerprint (collection's record, docs/decisions/019-collection.md). */
export async function declines(fingerprint: string, count: number, opts: { blocked?: boolean; reason?: string } = {}) {
  const now = testNow();
  await db().insert(cardDeclines).values({ fingerprint, count, lastDeclineCode: "insufficient_funds", lastDeclineReason: opts.reason ?? "Insufficient funds", lastDeclinedAt: now, blockedAt: opts.blocked ? now : null, updatedAt: now });
}

export async function autoPaymentOn(orgId: string, paymentMethodId: string) {
  await db().insert(autoPayments).values({ orgId, enabled: true, paymentMethodId, updatedBy: null, updatedAt: testNow() });
}
