/**
 * A fresh successful validation lifts a block (docs/decisions/019b-card-health-and-self-pay.md): `storeCard`
 * stores a card the gateway has just confirmed. Saving a blocked card again lifts its fingerprint's block (audited)
 * but keeps its decline count; a replayed confirmation (same PaymentMethod) changes nothing; a new card replaces
 * a blocked default.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cardDeclines, paymentMethods } from "../../../../worker/db/schema";
import { storeCard } from "../../../../worker/domain/payments/cards";
import { declines, savedCard } from "../../../card-fixtures";
import { yearOf } from "../../../clock";
import { testCtx } from "../../../context";
import { createOrg, db } from "../../../factories";
import { auditRows } from "../../../helpers";

const confirmed = (fingerprint: string, pm = `pm_${crypto.randomUUID().slice(0, 12)}`) => ({ gatewayPaymentMethodId: pm, brand: "visa", last4: "4242", expMonth: 12, expYear: yearOf() + 3, fingerprint });
const store = (orgId: string, card: ReturnType<typeof confirmed>) =>
  storeCard(testCtx(), { orgId, gateway: "stripe", gatewayCustomerId: `cus_${orgId}`, card, cardholderName: "Ada Lovelace", linkMultiple: true });
const declineRow = async (fp: string) => db().select().from(cardDeclines).where(eq(cardDeclines.fingerprint, fp)).get();

describe("storeCard: a fresh successful validation", () => {
  it("lifts the block of a re-added card, keeps its count, and a replay of the same confirmation changes nothing", async () => {
    const org = await createOrg();
    const old = await savedCard(org.id, { status: "blocked", declines: 3 });
    await declines(old.fingerprint, 3, { blocked: true });
    const fresh = confirmed(old.fingerprint);
    const stored = await store(org.id, fresh);
    expect(await declineRow(old.fingerprint)).toMatchObject({ count: 3, blockedAt: null });
    const rows = await db().select().from(paymentMethods).where(eq(paymentMethods.orgId, org.id));
    expect(rows.map((r) => r.status).sort()).toEqual(["active", "active"]);
    expect(await auditRows({ action: "payments.card.unblocked", targetId: stored.id })).toHaveLength(1);

    // Blocked again later (declines), then the same confirmation is delivered again (webhook replay).
    await db().update(cardDeclines).set({ count: 4, blockedAt: Date.now() }).where(eq(cardDeclines.fingerprint, old.fingerprint));
    await store(org.id, fresh);
    expect((await declineRow(old.fingerprint))!.blockedAt).not.toBeNull();
    expect(await auditRows({ action: "payments.card.unblocked", targetId: stored.id })).toHaveLength(1);
  });

  it("a different card replaces a blocked default; an unblocked card's default is kept", async () => {
    const org = await createOrg();
    const blocked = await savedCard(org.id, { status: "blocked" });
    const replacement = await store(org.id, confirmed(`fp_${crypto.randomUUID()}`));
    const defaults = await db().select({ id: paymentMethods.id }).from(paymentMethods).where(and(eq(paymentMethods.orgId, org.id), eq(paymentMethods.isDefault, true)));
    expect(defaults).toEqual([{ id: replacement.id }]);
    expect((await db().select().from(paymentMethods).where(eq(paymentMethods.id, blocked.id)).get())!.status).toBe("blocked");

    const healthy = await createOrg();
    const first = await savedCard(healthy.id);
    const second = await store(healthy.id, confirmed(`fp_${crypto.randomUUID()}`));
    expect(second.isDefault).toBe(false);
    expect((await db().select().from(paymentMethods).where(eq(paymentMethods.id, first.id)).get())!.isDefault).toBe(true);
  });
});
