/** Requests for more time (docs/decisions/018a-dunning-extensions-and-dev-clock.md): ask, approve, decline. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { addDays, testNow } from "../../clock";
import { openedCases, outboxEvents } from "../../dunning-fixtures";
import { db } from "../../factories";
import { callerAs, expectAudit, useWorld } from "../../helpers";

const DAY = 86_400_000;
const w = useWorld();
const cases = openedCases();
const inDunning = (daysAgo: number) => cases.inDunning(daysAgo, 9_900);

const recipientOf = async (orgId: string, event: string) =>
  (await db().all<{ to_address: string }>(sql`SELECT to_address FROM email_outbox WHERE org_id = ${orgId} AND event = ${event} AND copy_kind = 'recipient'`)).map((r) => r.to_address);

describe("extension requests", () => {
  it("a suspended customer asks for 10 days; billing staff see it on the case and approve: the case pauses until then, audited, the customer is emailed and sees it", async () => {
    const { org, user } = await inDunning(17);
    const customer = await callerAs(user.id);
    const before = (await (await customer("GET", "/api/account/dunning")).json()) as { state: string; canRequestExtension: boolean; extension: unknown };
    expect(before).toMatchObject({ state: "suspended", canRequestExtension: true, extension: null });

    const asked = await customer("POST", "/api/account/dunning/extension", { days: 10, reason: "Our finance team pays on the 10th" });
    expect(asked.status, await asked.clone().text()).toBe(201);
    expect(await asked.json()).toMatchObject({ days: 10, status: "open", requestedBy: user.id });
    await expectAudit({ action: "billing.dunning.extension_requested", orgId: org.id, actorUserId: user.id });
    expect(await (await customer("GET", "/api/account/dunning")).json()).toMatchObject({ canRequestExtension: false, extension: { status: "open", days: 10 } });

    const staff = await callerAs(w.staffBilling.id);
    const shown = (await (await staff("GET", `/api/billing/dunning/${org.id}`)).json()) as { extension: { status: string; reason: string } };
    expect(shown.extension).toMatchObject({ status: "open", reason: "Our finance team pays on the 10th" });

    const approved = await staff("POST", `/api/billing/dunning/${org.id}/extension/approve`);
    expect(approved.status, await approved.clone().text()).toBe(200);
    const until = Date.parse(`${addDays(new Date(testNow()).toISOString().slice(0, 10), 10)}T00:00:00Z`);
    expect(await approved.json()).toMatchObject({ pausedUntil: until, pauseReason: "Extension approved: Our finance team pays on the 10th", extension: { status: "approved", until } });
    const [row] = await expectAudit({ action: "billing.dunning.extension_approved", orgId: org.id, actorUserId: w.staffBilling.id });
    expect(row!.diff).toContain("approved");
    expect(await recipientOf(org.id, "dunning.extension_approved")).toEqual([user.email]);
    expect(await (await customer("GET", "/api/account/dunning")).json()).toMatchObject({ canRequestExtension: false, extension: { status: "approved", until } });
    expect(until - testNow()).toBeLessThanOrEqual(10 * DAY);
  });

  it("declined with a reason: the case runs on, audited, the customer is emailed, sees why and may ask again", async () => {
    const { org, user } = await inDunning(10); // Warning Notification
    const customer = await callerAs(user.id);
    expect((await customer("POST", "/api/account/dunning/extension", { days: 30, reason: "Cash flow" })).status).toBe(201);
    const staff = await callerAs(w.admin.id);
    const declined = await staff("POST", `/api/billing/dunning/${org.id}/extension/decline`, { reason: "Already 10 days overdue" });
    expect(declined.status, await declined.clone().text()).toBe(200);
    expect(await declined.json()).toMatchObject({ state: "warning", pauseReason: null, extension: { status: "declined", decisionNote: "Already 10 days overdue" } });
    await expectAudit({ action: "billing.dunning.extension_declined", orgId: org.id });
    expect(await recipientOf(org.id, "dunning.extension_declined")).toEqual([user.email]);
    expect(await outboxEvents(org.id)).toContain("dunning.extension_declined");
    expect(await (await customer("GET", "/api/account/dunning")).json()).toMatchObject({ canRequestExtension: true, extension: { status: "declined", decisionNote: "Already 10 days overdue" } });
    expect((await customer("POST", "/api/account/dunning/extension", { days: 5, reason: "Paying on Friday" })).status).toBe(201);
  });
});
