/** Validity Deduction: a decline saves nothing, credits nothing and leaves the card detached at Stripe. */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ledgerTransactions, paymentMethods } from "../../../worker/db/schema";
import { db } from "../../factories";
import { expectError } from "../../helpers";
import { stripeClient } from "../../local-stripe";
import { freshCustomer, typedCard, useValidityDeduction } from "./payment-helpers";

useValidityDeduction();

describe("Validity Deduction", () => {
  it("a card that attaches but declines when charged (…0341) is not saved, is detached at Stripe, and nothing is credited", async () => {
    const { call, orgId } = await freshCustomer();
    const pm = await typedCard("4000000000000341");
    const err = await expectError(await call("POST", "/api/payment-info/cards", { paymentMethodId: pm }), 402, "CARD_REFUSED");
    expect(err.message).toMatch(/Validity Deduction was declined/);
    expect(await db().select().from(paymentMethods).where(eq(paymentMethods.orgId, orgId))).toHaveLength(0);
    expect(await db().select().from(ledgerTransactions).where(eq(ledgerTransactions.orgId, orgId))).toHaveLength(0);
    expect((await stripeClient().paymentMethods.retrieve(pm)).customer).toBeNull();
  });
});
