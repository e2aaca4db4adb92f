import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { dunningCases, organizations, resourceSubscriptions } from "../../../../worker/db/schema";
import { dunningSweep } from "../../../../worker/domain/dunning/sweep";
import { dunningPort } from "../../../../worker/durable/org-billing";
import { fixedClock } from "../../../../worker/integrations/clock";
import { testNow } from "../../../clock";
import { age, clearAlarm, dunnedCustomer, fireAlarm, outboxEvents, unpaidInvoice } from "../../../dunning-fixtures";
import { createOrg, createUser, db } from "../../../factories";
import { signedIn, testClient } from "../../../helpers";

const opened: string[] = [];
afterEach(async () => {
  for (const id of opened.splice(0)) await clearAlarm(id);
});
let admin: Awaited<ReturnType<typeof createUser>>;
beforeAll(async () => {
  const operator = await createOrg({ kind: "operator" });
  admin = await createUser({ orgId: operator.id, role: "cloud_admin" });
});

const port = () => dunningPort(env.ORG_BILLING);

describe("dunning: entry by the cron sweep, exit by any payment channel", () => {
  it("the sweep opens a case for a newly overdue organization (once) and leaves others alone", async () => {
    const late = await dunnedCustomer();
    const onTime = await dunnedCustomer();
    opened.push(late.org.id, onTime.org.id);
    await unpaidInvoice(late.org.id, -2);
    await unpaidInvoice(onTime.org.id, 3);
    const deps = { db: db(), clock: fixedClock(testNow()), dunning: port() };
    await dunningSweep(deps);
    expect((await db().select().from(dunningCases).where(eq(dunningCases.orgId, late.org.id)).get())?.state).toBe("grace");
    expect(await db().select().from(dunningCases).where(eq(dunningCases.orgId, onTime.org.id)).get()).toBeUndefined();
    await dunningSweep(deps); // already open: not asked again, no second email
    expect(await outboxEvents(late.org.id)).toEqual(["dunning.overdue"]);
  });

  it("Adjust Offline on a suspended organization's overdue invoice restores it at once (the settle hook)", async () => {
    const { org, sub, stub } = await dunnedCustomer();
    opened.push(org.id);
    const invoiceId = await unpaidInvoice(org.id, -1, 7_700, sub.id);
    await stub.refresh(org.id);
    await age(org.id, 15);
    await fireAlarm(org.id);
    expect((await stub.getCase(org.id)).state).toBe("suspended");
    expect((await db().select({ s: resourceSubscriptions.status }).from(resourceSubscriptions).where(eq(resourceSubscriptions.id, sub.id)).get())!.s).toBe("suspended");

    const client = testClient();
    const cookie = await signedIn(client, admin);
    const res = await client.request("POST", `/api/invoices/${invoiceId}/offline-payment`, { cookie, body: { markAsPaid: true, reference: "BANK-123", description: "" } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await stub.getCase(org.id)).state).toBe("current");
    expect((await db().select({ s: organizations.status }).from(organizations).where(eq(organizations.id, org.id)).get())!.s).toBe("active");
    expect((await db().select({ s: resourceSubscriptions.status }).from(resourceSubscriptions).where(eq(resourceSubscriptions.id, sub.id)).get())!.s).toBe("live");
    expect((await outboxEvents(org.id)).at(-1)).toBe("account.reactivated");
  });
});
