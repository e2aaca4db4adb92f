import { describe, expect, it } from "vitest";
import { chargeInvoice } from "../../../worker/domain/collection/charge";
import { fixedClock } from "../../../worker/integrations/clock";
import { testNow } from "../../clock";
import { invoiceRow, issuedInvoice, payerWithCard, payerWithSavedCard } from "../../collection-fixtures";
import { testCtx } from "../../context";
import { callerAs, expectError } from "../../helpers";
import { control } from "../../local-stripe";

describe("Complete authentication: errors", () => {
  it("an invoice with no payment waiting for authentication is a clear 409", async () => {
    const { org, call } = await payerWithCard();
    const inv = await issuedInvoice(org.id, 1_000);
    await expectError(await call("POST", `/api/invoices/${inv}/pay/authentication`), 409, "CONFLICT");
    await expectError(await call("POST", `/api/invoices/${inv}/pay/authentication/complete`), 409, "CONFLICT");
  });

  it("the gateway not answering leaves the attempt waiting (nothing closed on a guess)", async () => {
    const p = await payerWithSavedCard("4000002760003184");
    const inv = await issuedInvoice(p.org.id, 1_200);
    await chargeInvoice({ ctx: testCtx({ clock: fixedClock(testNow()) }), input: { invoiceId: inv, initiatedBy: "auto" } });
    const call = await callerAs(p.user.id);
    await control("/__control/faults", { fail500: 10, match: "/v1/payment_intents/" });
    try {
      await expectError(await call("POST", `/api/invoices/${inv}/pay/authentication/complete`), 409, "PAYMENTS_UNAVAILABLE");
    } finally {
      await control("/__control/faults", {});
    }
    expect((await invoiceRow(inv)).paymentState).toBe("action_required");
  });
});
