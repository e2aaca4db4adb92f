/**
 * Validity Deduction (Credit Card Settings): adding a card charges the amount through Stripe with an idempotency
 * key; only on success is the card saved and the amount credited to the wallet (ledger: cash in, paid wallet
 * credit); a repeated Save charges once. A decline: validity-deduction.error.test.ts.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { AddCardResult } from "../../../worker/contract/payments";
import type { Wallet } from "../../../worker/contract/wallet";
import { ledgerTransactions } from "../../../worker/db/schema";
import { db } from "../../factories";
import { callerAs, expectAudit } from "../../helpers";
import { control, stripeClient } from "../../local-stripe";
import { freshCustomer, typedCard, useValidityDeduction } from "./payment-helpers";

const world = useValidityDeduction();

const wallet = async (orgId: string) => (await (await (await callerAs(world.admin.id))("GET", `/api/organizations/${orgId}/wallet`)).json()) as Wallet;

describe("Validity Deduction", () => {
  it("charges 1.25 once, saves the card and credits the wallet; a repeated Save replays the same charge", async () => {
    const { call, orgId, userId } = await freshCustomer();
    const pm = await typedCard("4242424242424242");
    const res = await call("POST", "/api/payment-info/cards", { paymentMethodId: pm });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(((await res.json()) as Extract<AddCardResult, { status: "saved" }>).card.last4).toBe("4242");
    const txns = await db().select().from(ledgerTransactions).where(eq(ledgerTransactions.orgId, orgId));
    expect(txns).toHaveLength(1);
    expect(txns[0]).toMatchObject({ kind: "wallet_topup", direction: "in", amountMinor: 125, gateway: "stripe" });
    expect(txns[0]!.reference).toMatch(/^pi_/);
    const pi = await stripeClient().paymentIntents.retrieve(txns[0]!.reference!);
    expect(pi).toMatchObject({ amount: 125, status: "succeeded", payment_method: pm });
    expect(pi.metadata).toMatchObject({ org_id: orgId, purpose: "validity_deduction" });
    expect(await wallet(orgId)).toMatchObject({ paidMinor: 125 });
    await expectAudit({ action: "payments.validity_deduction.credited", actorUserId: userId });

    // The same Save again (a retry after a lost answer): the idempotency key replays the charge, no second credit.
    await call("POST", "/api/payment-info/cards", { paymentMethodId: pm });
    expect(await db().select().from(ledgerTransactions).where(eq(ledgerTransactions.orgId, orgId))).toHaveLength(1);
    expect((await stripeClient().paymentIntents.list({ customer: pi.customer as string })).data).toHaveLength(1);
  });

  it("3-D Secure on setup, then the deduction: confirm saves and credits once", async () => {
    const { call, orgId } = await freshCustomer();
    const body = (await (await call("POST", "/api/payment-info/cards", { paymentMethodId: await typedCard("4000002500003155") })).json()) as AddCardResult;
    expect(body.status).toBe("requires_action");
    const pending = body as Extract<AddCardResult, { status: "requires_action" }>;
    await control("/__control/complete_action", { intent: pending.intentId, outcome: "succeed" });
    const res = await call("POST", "/api/payment-info/cards/confirm", { intentId: pending.intentId });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await wallet(orgId)).toMatchObject({ paidMinor: 125 });
  });
});
