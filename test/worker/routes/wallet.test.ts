/** Wallet: top-ups and free credit (exact amounts, idempotency, email, audit), expiry with a moved clock, tenancy. */
import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Wallet } from "../../../worker/contract/wallet";
import { emailOutbox, ledgerTransactions, organizations, walletGrants } from "../../../worker/db/schema";
import { parseAmountMinor } from "../../../worker/domain/wallet/amount";
import { expireFreeCredit } from "../../../worker/domain/wallet/expire-free-credit";
import { planWalletSpend } from "../../../worker/domain/wallet/spend-order";
import { DomainError } from "../../../worker/errors";
import { fixedClock } from "../../../worker/integrations/clock";
import { createOrg, createUser, db } from "../../factories";
import { expectError, expectAudit, auditRows, callerAs, useWorld } from "../../helpers";
import { addDays, noon, today } from "../../clock";

const world = useWorld();

// Midday of the suite's "today" (test/clock.ts): expiry dates below are relative to it.
const NOW = noon(0);
const day = (days: number) => today(days, NOW);

/** Signed in at `now` (the suite's midday unless a test says otherwise). */
const as = (userId: string, now = NOW) => callerAs(userId, undefined, now);
const key = () => crypto.randomUUID();

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

  it("a submit sent several times at once credits once (one transaction, one grant, one audit row)", async () => {
    const org = await createOrg();
    const me = await as(world.admin.id);
    const requestKey = key();
    const results = await Promise.all(Array.from({ length: 5 }, () => me.post(`/api/organizations/${org.id}/wallet/free-credits`, { amount: "12.34", expiresAt: day(200), requestKey })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(await db().select().from(ledgerTransactions).where(eq(ledgerTransactions.orgId, org.id))).toHaveLength(1);
    expect(await db().select().from(walletGrants).where(eq(walletGrants.orgId, org.id))).toHaveLength(1);
    await expectAudit({ orgId: org.id });
    const w = (await (await me.get(`/api/organizations/${org.id}/wallet`)).json()) as Wallet;
    expect([w.paidMinor, w.freeMinor]).toEqual([0, 1234]);
  });

  it("refuses zero, negative, too precise and malformed amounts, and unknown organizations", async () => {
    const me = await as(world.admin.id);
    for (const amount of ["0", "-5", "0.001", "abc", "1e5", ""]) {
      const e = await expectError(await me.post(`/api/organizations/${world.direct.id}/wallet/top-ups`, { amount, requestKey: key() }), 400, "VALIDATION_FAILED");
      expect(e.fields?.amount, amount).toBeTruthy();
    }
    await expectError(await me.post(`/api/organizations/org_nope/wallet/top-ups`, { amount: "5", requestKey: key() }), 404, "NOT_FOUND");
    await expectError(await me.post(`/api/organizations/${world.operator.id}/wallet/top-ups`, { amount: "5", requestKey: key() }), 404, "NOT_FOUND");
    const past = await expectError(await me.post(`/api/organizations/${world.direct.id}/wallet/free-credits`, { amount: "5", expiresAt: day(-1), requestKey: key() }), 400, "VALIDATION_FAILED");
    expect(past.fields?.expiresAt).toMatch(/past/);
  });

  it("amount parsing is exact for every currency exponent (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), (minor, exponent, extraZeros) => {
        const digits = minor.toString().padStart(exponent + 1, "0");
        const text = exponent ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}${"0".repeat(extraZeros)}` : digits;
        expect(parseAmountMinor(text, exponent)).toBe(Number(minor));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 9 }), (exponent, digit) => {
        const tooPrecise = `1.${"0".repeat(exponent)}${digit}`;
        expect(() => parseAmountMinor(tooPrecise, exponent)).toThrow(DomainError);
      }),
    );
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

  it("customers see their own wallet only; only billing.write credits", async () => {
    const customer = await as(world.customerAUser.id);
    expect((await customer.get(`/api/organizations/${world.customerA.id}/wallet`)).status).toBe(200);
    await expectError(await customer.get(`/api/organizations/${world.customerB.id}/wallet`), 404, "NOT_FOUND");
    await expectError(await customer.post(`/api/organizations/${world.customerA.id}/wallet/top-ups`, { amount: "5", requestKey: key() }), 403, "FORBIDDEN");
    const reseller = await as(world.resellerAUser.id);
    expect((await reseller.get(`/api/organizations/${world.customerA.id}/wallet`)).status).toBe(200);
    await expectError(await reseller.get(`/api/organizations/${world.customerB.id}/wallet`), 404, "NOT_FOUND");
    await expectError(await (await as(world.staffRead.id)).post(`/api/organizations/${world.customerA.id}/wallet/free-credits`, { amount: "5", requestKey: key() }), 403, "FORBIDDEN");
    await expectError(await (await as(world.staffNone.id)).get(`/api/organizations/${world.customerA.id}/wallet`), 403, "FORBIDDEN");
  });
});

describe("wallet spend order (documented, for wallet payments)", () => {
  it("takes soonest-expiring free credit first, then non-expiring, then paid; skips expired grants", () => {
    const plan = planWalletSpend({
      amountMinor: 1000,
      today: "2026-11-22",
      paidMinor: 5000,
      grants: [
        { id: "never", remainingMinor: 300, expiresAt: null, createdAt: 1 },
        { id: "dec", remainingMinor: 200, expiresAt: "2026-12-31", createdAt: 2 },
        { id: "gone", remainingMinor: 900, expiresAt: "2026-11-21", createdAt: 0 },
        { id: "nov", remainingMinor: 100, expiresAt: "2026-11-30", createdAt: 3 },
      ],
    });
    expect(plan).toEqual({ fromGrants: [{ id: "nov", amountMinor: 100 }, { id: "dec", amountMinor: 200 }, { id: "never", amountMinor: 300 }], fromPaidMinor: 400, uncoveredMinor: 0 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 5000 }), fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 5 }), (amount, paid, grants) => {
        const p = planWalletSpend({ amountMinor: amount, today: "2026-01-01", paidMinor: paid, grants: grants.map((g, i) => ({ id: `g${i}`, remainingMinor: g, expiresAt: null, createdAt: i })) });
        const taken = p.fromGrants.reduce((a, g) => a + g.amountMinor, 0) + p.fromPaidMinor;
        expect(taken + p.uncoveredMinor).toBe(amount);
        expect(p.fromPaidMinor).toBeLessThanOrEqual(paid);
      }),
    );
  });
});
