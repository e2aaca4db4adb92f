import { describe, expect, it } from "vitest";
import { invoiceRow, issuedInvoice, payerWithSavedCard } from "../../collection-fixtures";
import { createOrg, createUser } from "../../factories";
import { callerAs, expectError } from "../../helpers";

describe("collection routes: tenancy and roles", () => {
  it("Auto Payment cannot use another organization's card (NOT_FOUND); operators have no Payment Info", async () => {
    const mine = await payerWithSavedCard("4242424242424242");
    const theirs = await payerWithSavedCard("4242424242424242");
    const call = await callerAs(mine.user.id);
    await expectError(await call("PUT", "/api/payment-info/auto-payment", { enabled: true, cardId: theirs.card.id }), 404, "NOT_FOUND");
    await expectError(await (await callerAs(mine.admin.id))("PUT", "/api/payment-info/auto-payment", { enabled: false }), 403, "FORBIDDEN");
  });

  it("Capture Payment is for billing staff only: customers and read-only staff are refused, nothing charged", async () => {
    const { org, user } = await payerWithSavedCard("4242424242424242");
    const inv = await issuedInvoice(org.id, 1_000);
    await expectError(await (await callerAs(user.id))("POST", `/api/invoices/${inv}/capture-payment`, { expectedAmountMinor: 1_000 }), 403, "FORBIDDEN");
    const operator = await createOrg({ kind: "operator" });
    const reader = await createUser({ orgId: operator.id, role: "staff", privileges: ["billing.read"] });
    await expectError(await (await callerAs(reader.id))("POST", `/api/invoices/${inv}/capture-payment`, { expectedAmountMinor: 1_000 }), 403, "FORBIDDEN");
    expect((await invoiceRow(inv)).status).toBe("unpaid");
  });
});
