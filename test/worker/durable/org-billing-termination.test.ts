/**
 * The last look before Termination (worker/domain/dunning/settlement-check.ts, ADR 018a): a payment event received
 * from the gateway and not yet applied may be this organization's payment, so Termination waits and the object
 * looks again RECHECK_MS later; once the inbox is clear (the event applied), Termination proceeds.
 */
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { resources } from "../../../worker/db/schema";
import { RECHECK_MS } from "../../../worker/domain/dunning/settlement-check";
import { testNow } from "../../clock";
import { age, clearAlarm, dunnedCustomer, fireAlarm, outboxEvents, realAlarm, unpaidInvoice } from "../../dunning-fixtures";
import { db } from "../../factories";

const DAY = 86_400_000;
const opened: string[] = [];
afterEach(async () => {
  for (const id of opened.splice(0)) await clearAlarm(id);
});

const resStatus = async (subId: string) => (await db().select({ s: resources.status }).from(resources).where(eq(resources.subscriptionId, subId)).all()).map((r) => r.s);

describe("OrgBilling: termination waits for a payment on its way", () => {
  it("an unapplied gateway event holds Termination (re-checked 15 minutes later); once applied, Termination proceeds", async () => {
    const { org, sub, stub } = await dunnedCustomer();
    opened.push(org.id);
    await unpaidInvoice(org.id, -1, 4_000, sub.id);
    await stub.refresh(org.id);
    await age(org.id, 36); // past every phase: the next tick would terminate
    const eventId = `evt_${crypto.randomUUID()}`;
    await db().run(sql`INSERT INTO payment_events (gateway, event_id, type, object_id, received_at, processed_at, outcome)
      VALUES ('stripe', ${eventId}, 'payment_intent.succeeded', 'pi_test', ${testNow() + 36 * DAY - 60_000}, NULL, NULL)`);

    const before = Date.now();
    await fireAlarm(org.id);
    const held = await stub.getCase(org.id);
    expect(held.state).toBe("delete_notice");
    expect(await resStatus(sub.id)).toEqual(["suspended"]);
    expect(await outboxEvents(org.id)).not.toContain("resources.terminated");
    const alarm = (await realAlarm(org.id))!;
    expect(alarm).toBeGreaterThanOrEqual(before + RECHECK_MS - 5_000);
    expect(alarm).toBeLessThanOrEqual(Date.now() + RECHECK_MS + 5_000);

    // The payments consumer applied the event (it was another organization's payment): Termination goes ahead.
    await db().run(sql`UPDATE payment_events SET processed_at = ${testNow() + 36 * DAY}, outcome = 'applied' WHERE event_id = ${eventId}`);
    await fireAlarm(org.id);
    expect((await stub.getCase(org.id)).state).toBe("terminated");
    expect(await resStatus(sub.id)).toEqual(["terminated"]);
    expect((await outboxEvents(org.id)).at(-1)).toBe("resources.terminated");
  });
});
