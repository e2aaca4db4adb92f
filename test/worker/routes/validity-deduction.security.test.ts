/** Validity Deduction: one organization cannot confirm another's deduction intent. */
import { eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { ledgerTransactions } from "../../../worker/db/schema";
import { db } from "../../factories";
import { expectError } from "../../helpers";
import { freshCustomer, typedCard, useValidityDeduction } from "./payment-helpers";

useValidityDeduction();

describe("Validity Deduction", () => {
  it("another organization's deduction intent is not found on confirm", async () => {
    const a = await freshCustomer();
    await a.call("POST", "/api/payment-info/cards", { paymentMethodId: await typedCard("4242424242424242") });
    const [txn] = await db().select().from(ledgerTransactions).where(eq(ledgerTransactions.orgId, a.orgId));
    const b = await freshCustomer();
    await b.call("POST", "/api/payment-info/cards", { paymentMethodId: await typedCard("5555555555554444") });
    await expectError(await b.call("POST", "/api/payment-info/cards/confirm", { intentId: txn!.reference! }), 404, "NOT_FOUND");
  });
});
