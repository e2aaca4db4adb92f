/** Dunning test helpers: organizations with overdue invoices, and "time passing" for one organization's case. */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { OrgBilling } from "../worker/durable/org-billing";
import { newId } from "../worker/db/ids";
import { invoices, organizations } from "../worker/db/schema";
import { monthStart, testNow, today } from "./clock";
import { createOrg, createSubscription, createUser, db } from "./factories";

const DAY = 86_400_000;
let seq = 0;

/** An unpaid invoice due `dueInDays` from today (negative: overdue). */
export async function unpaidInvoice(orgId: string, dueInDays: number, totalMinor = 12_100, subscriptionId: string | null = null): Promise<string> {
  const id = newId("invoice");
  const now = testNow();
  await db().insert(invoices).values({
    id, orgId, subscriptionId, kind: subscriptionId ? "subscription" : "manual", number: `DUN-${Date.now()}-${++seq}`, series: "DUN", status: "unpaid",
    issueDate: today(dueInDays - 14), dueDate: today(dueInDays), periodFrom: monthStart(-1, now), periodTo: monthStart(0, now),
    currency: "EUR", precision: 2, subtotalMinor: totalMinor, taxMinor: 0, totalMinor, createdAt: now, updatedAt: now, issuedAt: now,
  });
  return id;
}

/** A customer with a primary contact and one live subscription with a resource. */
export async function dunnedCustomer() {
  const org = await createOrg();
  const user = await createUser({ orgId: org.id, role: "customer" });
  await db().update(organizations).set({ primaryUserId: user.id }).where(eq(organizations.id, org.id));
  const sub = await createSubscription(org.id);
  return { org, user, sub, stub: env.ORG_BILLING.getByName(org.id) };
}

/** `days` pass for this organization's object (its clock moves; the invoices are immutable and stay). */
export async function age(orgId: string, days: number): Promise<void> {
  await runInDurableObject(env.ORG_BILLING.getByName(orgId), (instance: OrgBilling) => {
    const base = instance.clockOverride ?? { now: () => testNow() };
    instance.clockOverride = { now: () => base.now() + days * DAY };
  });
}

/** The alarm, run now (tests never leave an alarm behind: they are not reset between tests). */
export async function fireAlarm(orgId: string): Promise<boolean> {
  return runDurableObjectAlarm(env.ORG_BILLING.getByName(orgId));
}

export async function clearAlarm(orgId: string): Promise<void> {
  await runInDurableObject(env.ORG_BILLING.getByName(orgId), (_i, state) => state.storage.deleteAlarm());
}

export async function outboxEvents(orgId: string): Promise<string[]> {
  const rows = await db().all<{ event: string }>(sql`SELECT event FROM email_outbox WHERE org_id = ${orgId} AND copy_kind = 'recipient' ORDER BY created_at, rowid`);
  return rows.map((r) => r.event);
}

export const realAlarm = async (orgId: string): Promise<number | null> =>
  runInDurableObject(env.ORG_BILLING.getByName(orgId), (_i, state) => state.storage.getAlarm());

/**
 * Cases a test file opens: their alarms are cleared after each test (Durable Object storage is not reset between
 * tests). `inDunning(daysAgo)` is a customer whose only invoice fell due `daysAgo` days ago, its case placed
 * (17: Account Suspension); `track(orgId)` adds a case opened another way.
 */
export function openedCases() {
  const opened: string[] = [];
  afterEach(async () => {
    for (const id of opened.splice(0)) await clearAlarm(id);
  });
  return {
    track: (orgId: string) => void opened.push(orgId),
    async inDunning(daysAgo: number, totalMinor = 4_200) {
      const c = await dunnedCustomer();
      opened.push(c.org.id);
      await unpaidInvoice(c.org.id, -daysAgo, totalMinor, c.sub.id);
      await c.stub.refresh(c.org.id);
      return c;
    },
  };
}
