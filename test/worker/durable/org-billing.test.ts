import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { dunningCases, organizations, resources, resourceSubscriptions } from "../../../worker/db/schema";
import { testNow, today } from "../../clock";
import { age, clearAlarm, dunnedCustomer, fireAlarm, outboxEvents, realAlarm, unpaidInvoice } from "../../dunning-fixtures";
import { createOrg, createSubscription, db } from "../../factories";

const DAY = 86_400_000;
const opened: string[] = [];
afterEach(async () => {
  for (const id of opened.splice(0)) await clearAlarm(id);
});

async function customer() {
  const c = await dunnedCustomer();
  opened.push(c.org.id);
  return c;
}

const status = async (orgId: string) => (await db().select({ s: organizations.status }).from(organizations).where(eq(organizations.id, orgId)).get())!.s;
const subStatus = async (id: string) => (await db().select({ s: resourceSubscriptions.status }).from(resourceSubscriptions).where(eq(resourceSubscriptions.id, id)).get())!.s;
const resStatus = async (subId: string) => (await db().select({ s: resources.status }).from(resources).where(eq(resources.subscriptionId, subId)).all()).map((r) => r.s);
/** Paid by a channel that did not tell the object (or before it is told): only the invoice rows know. */
const payAll = (orgId: string) => db().run(sql`UPDATE invoices SET status = 'paid', amount_paid_minor = total_minor, paid_at = ${testNow()} WHERE org_id = ${orgId} AND status = 'unpaid'`);
const mirror = async (orgId: string) => db().select().from(dunningCases).where(eq(dunningCases.orgId, orgId)).get();

describe("OrgBilling: entering dunning", () => {
  it("an organization whose oldest unpaid invoice passed its due date enters Grace: overdue email, D1 mirror, one alarm", async () => {
    const { org, stub } = await customer();
    await unpaidInvoice(org.id, -3, 12_100);
    await unpaidInvoice(org.id, 5, 5_000); // not yet due: not overdue
    const view = await stub.refresh(org.id);
    expect(view).toMatchObject({ state: "grace", amountOverdueMinor: 12_100, currency: "EUR", nextState: "warning" });
    expect(view.anchor).toBe(Date.parse(`${today(-2)}T00:00:00Z`));
    expect(view.nextAt).toBe(view.anchor! + 7 * DAY);
    expect(await outboxEvents(org.id)).toEqual(["dunning.overdue"]);
    expect(await mirror(org.id)).toMatchObject({ state: "grace", nextState: "warning", nextAt: view.nextAt, amountOverdueMinor: 12_100, version: view.version });
    const alarm = await realAlarm(org.id);
    expect(Math.abs(alarm! - (view.nextAt! - (testNow() - Date.now())))).toBeLessThan(5_000); // real time of the app-time step
    // Asking again changes nothing: no second email, same version.
    const again = await stub.refresh(org.id);
    expect(again.version).toBe(view.version);
    expect(await outboxEvents(org.id)).toEqual(["dunning.overdue"]);
  });

  it("organizations with nothing overdue hold no alarm and no case; the operator's own organization is never dunned", async () => {
    const { org, stub } = await customer();
    await unpaidInvoice(org.id, 0);
    expect((await stub.refresh(org.id)).state).toBe("current");
    expect(await realAlarm(org.id)).toBeNull();
    expect(await mirror(org.id)).toBeUndefined();
    const operator = await createOrg({ kind: "operator" });
    await unpaidInvoice(operator.id, -40);
    expect((await env.ORG_BILLING.getByName(operator.id).refresh(operator.id)).state).toBe("current");
    expect(await realAlarm(operator.id)).toBeNull();
  });
});

describe("OrgBilling: alarms drive the phases", () => {
  it("Warning on its alarm (duplicates and retries add nothing), then Suspension: subscriptions and resources suspended, paid-through kept", async () => {
    const { org, sub, stub } = await customer();
    const paidThrough = await createSubscription(org.id);
    await db().update(resourceSubscriptions).set({ billedThrough: today(20) }).where(eq(resourceSubscriptions.id, paidThrough.id));
    await unpaidInvoice(org.id, -1, 9_900, sub.id);
    await stub.refresh(org.id);
    await age(org.id, 7);
    expect(await fireAlarm(org.id)).toBe(true);
    expect((await stub.getCase(org.id)).state).toBe("warning");
    expect(await runDurableObjectAlarm(stub)).toBe(true); // a duplicate: the next alarm (a warning email in 3 days) is not due
    expect(await outboxEvents(org.id)).toEqual(["dunning.overdue", "dunning.warning"]);

    await age(org.id, 7);
    await fireAlarm(org.id);
    const view = await stub.getCase(org.id);
    expect(view).toMatchObject({ state: "suspended", suspended: true, nextState: "delete_notice" });
    expect(await outboxEvents(org.id)).toEqual(["dunning.overdue", "dunning.warning", "account.suspended"]);
    expect(await status(org.id)).toBe("suspended");
    expect(await subStatus(sub.id)).toBe("suspended");
    expect(await resStatus(sub.id)).toEqual(["suspended"]);
    expect(await subStatus(paidThrough.id)).toBe("live"); // its current period is paid (ADR 018)
    expect((await mirror(org.id))!.suspended).toBe(true);

    // Paying everything overdue restores everything at once, with the reactivation email, and drops the alarm.
    await payAll(org.id);
    const paid = await stub.refresh(org.id);
    expect(paid).toMatchObject({ state: "current", suspended: false });
    expect(await status(org.id)).toBe("active");
    expect(await subStatus(sub.id)).toBe("live");
    expect(await resStatus(sub.id)).toEqual(["active"]);
    expect((await outboxEvents(org.id)).at(-1)).toBe("account.reactivated");
    expect(await realAlarm(org.id)).toBeNull();
    expect((await mirror(org.id))!.state).toBe("current");
  });

  it("Termination only after a fresh look at the invoices: paid meanwhile (no notice reached the object) means no termination", async () => {
    const a = await customer();
    const b = await customer();
    for (const x of [a, b]) {
      await unpaidInvoice(x.org.id, -1, 4_000, x.sub.id);
      await x.stub.refresh(x.org.id);
      await age(x.org.id, 36);
    }
    // b pays, but the settle notice is lost: only the invoice row knows.
    await payAll(b.org.id);
    await fireAlarm(a.org.id);
    await fireAlarm(b.org.id);
    expect((await a.stub.getCase(a.org.id)).state).toBe("terminated");
    expect(await resStatus(a.sub.id)).toEqual(["terminated"]);
    expect(await subStatus(a.sub.id)).toBe("cancelled");
    expect((await outboxEvents(a.org.id)).slice(-2)).toEqual(["dunning.delete_notice", "resources.terminated"]);
    expect(await realAlarm(a.org.id)).toBeNull();
    // The organization, its users and invoices remain.
    expect(await db().get(sql`SELECT count(*) AS n FROM invoices WHERE org_id = ${a.org.id}`)).toEqual({ n: 1 });

    expect((await b.stub.getCase(b.org.id)).state).toBe("current");
    expect(await resStatus(b.sub.id)).toEqual(["active"]);
    expect(await outboxEvents(b.org.id)).not.toContain("resources.terminated");
  });

  it("pause until a date holds the case and its alarm; resuming continues from where it stood", async () => {
    const { org, stub } = await customer();
    await unpaidInvoice(org.id, -3);
    await stub.refresh(org.id);
    const until = testNow() + 10 * DAY;
    const paused = await stub.pause(org.id, until, "Promise to pay");
    expect(paused).toMatchObject({ state: "grace", pausedUntil: until, pauseReason: "Promise to pay", nextState: null, nextAt: until });
    expect((await mirror(org.id))!.pauseReason).toBe("Promise to pay");
    const resumed = await stub.resume(org.id);
    expect(resumed).toMatchObject({ state: "grace", pausedUntil: null });
    expect(resumed.nextAt).toBeGreaterThan(paused.since + 7 * DAY - 1);
  });
});
