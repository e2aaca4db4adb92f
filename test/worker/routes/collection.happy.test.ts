import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { autoPayments } from "../../../worker/db/schema";
import { gatewayCharges, invoiceRow, issuedInvoice, payerWithSavedCard, topUp } from "../../collection-fixtures";
import { db } from "../../factories";
import { callerAs, expectAudit } from "../../helpers";

describe("collection routes: happy paths", () => {
  it("Payment Info » Auto Payment: choose the card, toggle ON, confirm; then OFF", async () => {
    const { org, user, card } = await payerWithSavedCard("4242424242424242");
    const call = await callerAs(user.id);
    expect(await (await call("GET", "/api/payment-info/auto-payment")).json()).toEqual({ enabled: false, cardId: null });
    const on = await call("PUT", "/api/payment-info/auto-payment", { enabled: true, cardId: card.id });
    expect(on.status).toBe(200);
    expect(await on.json()).toEqual({ enabled: true, cardId: card.id });
    expect((await db().select().from(autoPayments).where(eq(autoPayments.orgId, org.id)).get())?.enabled).toBe(true);
    await expectAudit({ action: "payments.auto_payment.enabled", orgId: org.id });
    expect(await (await call("PUT", "/api/payment-info/auto-payment", { enabled: false })).json()).toEqual({ enabled: false, cardId: null });
    await expectAudit({ action: "payments.auto_payment.disabled", orgId: org.id });
  });

  it("Capture Payment: the confirmation shows card and amounts; confirming charges wallet first, then the card", async () => {
    const { org, admin } = await payerWithSavedCard("4242424242424242");
    await topUp(org.id, 1_000);
    const inv = await issuedInvoice(org.id, 5_000);
    const staff = await callerAs(admin.id);
    const preview = await (await staff("GET", `/api/invoices/${inv}/capture-payment`)).json();
    expect(preview).toMatchObject({ invoiceId: inv, dueMinor: 5_000, walletMinor: 1_000, cardMinor: 4_000, card: { label: "VISA •••• 4242", status: "active" } });
    const res = await staff("POST", `/api/invoices/${inv}/capture-payment`, { expectedAmountMinor: 5_000 });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ status: "paid", walletMinor: 1_000, cardMinor: 4_000 });
    expect((await invoiceRow(inv)).status).toBe("paid");
    expect((await gatewayCharges(org.id)).map((p) => p.amount)).toEqual([4_000]);
    await expectAudit({ action: "invoice.payment_captured", targetId: inv });
  });
});
