/**
 * Termination asks the gateway first (worker/domain/collection/gateway-check.ts, ADR 018): a card payment of the
 * organization that waits for 3-D Secure may have succeeded at the gateway without our rows knowing (no webhook
 * yet). The last look finds it, records it through settleInvoices and Termination does not happen; a gateway that
 * does not answer holds Termination, which is looked at again later.
 */
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { resources } from "../../../worker/db/schema";
import { chargeInvoice } from "../../../worker/domain/collection/charge";
import { fixedClock } from "../../../worker/integrations/clock";
import { testNow } from "../../clock";
import { cardOnFile, gatewayCharges, invoiceRow } from "../../collection-fixtures";
import { testCtx } from "../../context";
import { age, clearAlarm, dunnedCustomer, fireAlarm, outboxEvents, unpaidInvoice } from "../../dunning-fixtures";
import { createOrg, createUser, db } from "../../factories";
import { control, stripeClient } from "../../local-stripe";
import { enableStripe } from "../routes/payment-helpers";

const opened: string[] = [];
afterEach(async () => {
  await control("/__control/faults", {});
  for (const id of opened.splice(0)) await clearAlarm(id);
});

const resStatus = async (subId: string) => (await db().select({ s: resources.status }).from(resources).where(eq(resources.subscriptionId, subId)).all()).map((r) => r.s);

/** Past every phase, the overdue invoice's off-session charge waiting for 3-D Secure. */
async function aboutToTerminate() {
  await enableStripe((await createUser({ orgId: (await createOrg({ kind: "operator" })).id, role: "cloud_admin" })).id);
  const d = await dunnedCustomer();
  opened.push(d.org.id);
  const card = await cardOnFile(d.org.id, "4000002760003184");
  const inv = await unpaidInvoice(d.org.id, -1, 4_000, d.sub.id);
  expect(await chargeInvoice({ ctx: testCtx({ clock: fixedClock(testNow()) }), input: { invoiceId: inv, initiatedBy: "auto" } })).toMatchObject({ status: "requires_action" });
  await d.stub.refresh(d.org.id);
  await age(d.org.id, 36);
  const [pi] = await gatewayCharges(d.org.id);
  return { ...d, inv, card, pi: pi! };
}

describe("OrgBilling: Termination asks the gateway", () => {
  it("the gateway says the waiting payment succeeded: it is recorded, the invoice is paid and nothing is terminated", async () => {
    const { org, sub, stub, inv, card, pi } = await aboutToTerminate();
    // The customer completed 3-D Secure at the bank; no webhook reached us.
    await stripeClient().paymentIntents.confirm(pi.id, { payment_method: card.gatewayPaymentMethodId, off_session: false });
    await control("/__control/complete_action", { intent: pi.id, outcome: "succeed" });
    await fireAlarm(org.id);
    expect((await invoiceRow(inv)).status).toBe("paid");
    expect((await stub.getCase(org.id)).state).not.toBe("terminated");
    expect(await resStatus(sub.id)).not.toContain("terminated");
    expect(await outboxEvents(org.id)).not.toContain("resources.terminated");
    await fireAlarm(org.id); // the next look sees nothing overdue: the case ends
    expect((await stub.getCase(org.id)).state).toBe("current");
  });

  it("the gateway does not answer: Termination is held and looked at again; the gateway's 'not paid' lets it proceed", async () => {
    const { org, sub, stub } = await aboutToTerminate();
    await control("/__control/faults", { fail500: 20, match: "/v1/payment_intents/" });
    await fireAlarm(org.id);
    expect((await stub.getCase(org.id)).state).toBe("delete_notice");
    expect(await resStatus(sub.id)).not.toContain("terminated");
    await control("/__control/faults", {});
    await fireAlarm(org.id);
    expect((await stub.getCase(org.id)).state).toBe("terminated");
  });
});
