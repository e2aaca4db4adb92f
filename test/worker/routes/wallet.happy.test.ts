/** Wallet: top-ups and free credit (exact amounts, idempotency, email, audit) and expiry with a moved clock. */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Wallet } from "../../../worker/contract/wallet";
import { emailOutbox, ledgerTransactions, organizations, walletGrants } from "../../../worker/db/schema";
import { expireFreeCredit } from "../../../worker/domain/wallet/expire-free-credit";
import { fixedClock } from "../../../worker/integrations/clock";
import { createOrg, createUser, db } from "../../factories";
import { auditRows, useWorld } from "../../helpers";
import { addDays } from "../../clock";
import { as, day, key } from "./wallet-helpers";

const world = useWorld();

describe("wallet top-up and free credit", () => {
  it("tops up exactly, once per request key, with one audit row and one wallet.credited email", async () => {
    const org = await createOrg();
    const contact = await createUser({ orgId: org.id, role: "customer" });
    await db().update(organizations).set({ primaryUserId: contact.id }).where(eq(organizations.id, org.id));
    const me = await as(world.staffBilling.id);
    const requestKey = key();
    const first = await me.post(`/api/organizations/${org.id}/wallet/top-ups`, { amount: "49.99", reference: "BANK-778", requestKey });
    expect(first.status, await first.clone().text()).toBe(201);
    const w = (await first.json()) as Wallet;
    expect([w.paidMinor, w.freeMinor, w.totalMinor, w.currency]).toEqual([4999, 0, 4999, "EUR"]);
    const again = await me.post(`/api/organizations/${org.id}/wallet/top-ups`, { amount: "49.99", reference: "BANK-778", requestKey });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Wallet).paidMinor).toBe(4999);
    const txns = await db().select().from(ledgerTransactions).where(eq(ledgerTransactions.orgId, org.id));
    expect(txns.map((t) => [t.kind, t.direction, t.amountMinor, t.reference])).toEqual([["wallet_topup", "in", 4999, "BANK-778"]]);
    const audits = await auditRows({ orgId: org.id, action: "wallet.topped_up" });
    expect(audits).toHaveLength(1);
    const mails = await db().select().from(emailOutbox).where(and(eq(emailOutbox.orgId, org.id), eq(emailOutbox.event, "wallet.credited")));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.toAddress).toBe(contact.email);
    const data = JSON.parse(mails[0]!.data) as Record<string, string>;
    expect(data["wallet.credit_amount"]).toBe("€49.99");
    expect(data["wallet.balance_paid"]).toBe("€49.99");
  });

  it("free credit expires after its last day: the cron posts the remainder once and the balance drops", async () => {
    const org = await createOrg();
    const me = await as(world.admin.id);
    const lastDay = day(8);
    const grant = await me.post(`/api/organizations/${org.id}/wallet/free-credits`, { amount: "20.00", expiresAt: lastDay, description: "Black Friday", requestKey: key() });
    expect(grant.status).toBe(201);
    await me.post(`/api/organizations/${org.id}/wallet/free-credits`, { amount: "5.00", expiresAt: null, requestKey: key() });
    await me.post(`/api/organizations/${org.id}/wallet/top-ups`, { amount: "10.00", requestKey: key() });
    const w = (await (await me.get(`/api/organizations/${org.id}/wallet`)).json()) as Wallet;
    expect([w.paidMinor, w.freeMinor]).toEqual([1000, 2500]);
    expect(w.grants.map((g) => g.status)).toEqual(["available", "available"]);

    const deps = { db: db(), clock: fixedClock(Date.parse(`${lastDay}T23:59:00Z`)) };
    await expireFreeCredit(deps); // still the last day: nothing expires
    const onLastDay = (await (await me.get(`/api/organizations/${org.id}/wallet`)).json()) as Wallet;
    expect(onLastDay.freeMinor).toBe(2500);

    deps.clock.set(Date.parse(`${addDays(lastDay, 1)}T00:05:00Z`));
    const first = await expireFreeCredit(deps);
    expect(first.expired).toBeGreaterThanOrEqual(1);
    await expireFreeCredit(deps); // a second run changes nothing
    const expired = await db().select().from(ledgerTransactions).where(and(eq(ledgerTransactions.orgId, org.id), eq(ledgerTransactions.kind, "free_credit_expired")));
    expect(expired.map((t) => [t.amountMinor, t.direction])).toEqual([[2000, "out"]]);
    const later = await as(world.admin.id, Date.parse(`${addDays(lastDay, 1)}T09:00:00Z`));
    const after = (await (await later.get(`/api/organizations/${org.id}/wallet`)).json()) as Wallet;
    expect([after.paidMinor, after.freeMinor]).toEqual([1000, 500]);
    expect(after.grants.find((g) => g.expiresAt === lastDay)).toMatchObject({ status: "expired", remainingMinor: 0 });
    const grants = await db().select().from(walletGrants).where(eq(walletGrants.orgId, org.id));
    expect(grants.map((g) => g.remainingMinor).sort()).toEqual([0, 500]);
  });
});
