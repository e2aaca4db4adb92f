import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { InvoiceDetail } from "../../../worker/contract/billing";
import { cardDeclines, payments } from "../../../worker/db/schema";
import { gatewayCharges, invoiceRow, issuedInvoice, outboxEvents, payer, payerWithCard, payerWithSavedCard } from "../../collection-fixtures";
import { db } from "../../factories";
import { callerAs, expectError } from "../../helpers";
import { control } from "../../local-stripe";

afterEach(async () => void (await control("/__control/faults", {})));

describe("Pay all: errors", () => {
  it("refuses a changed total, an unknown field, nothing to pay and no card", async () => {
    const { org, call } = await payerWithCard();
    await issuedInvoice(org.id, 4_000, 3);
    await issuedInvoice(org.id, 1_000, 1);
    await expectError(await call("POST", "/api/invoices/pay-all", { expectedTotalMinor: 4_000 }), 409, "CONFLICT");
    await expectError(await call("POST", "/api/invoices/pay-all", { expectedTotalMinor: 5_000, cardNumber: "4242424242424242" }), 400, "VALIDATION_FAILED");
    await expectError(await call("POST", "/api/invoices/pay-all", {}), 400, "VALIDATION_FAILED");
    expect(await gatewayCharges(org.id)).toEqual([]);
    const empty = await payer();
    await expectError(await (await callerAs(empty.user.id))("GET", "/api/invoices/pay-all"), 409, "INVOICE_NOT_UNPAID");
    await issuedInvoice(empty.org.id, 700);
    await expectError(await (await callerAs(empty.user.id))("POST", "/api/invoices/pay-all", { expectedTotalMinor: 700 }), 409, "NO_CARD");
  });

  it("a decline says why, leaves every invoice unpaid and counts against the card", async () => {
    const { org, user, card } = await payerWithSavedCard("4000000000000341");
    const a = await issuedInvoice(org.id, 2_000, 4);
    const b = await issuedInvoice(org.id, 3_000, 2);
    const res = await (await callerAs(user.id))("POST", "/api/invoices/pay-all", { expectedTotalMinor: 5_000 });
    expect(await res.json()).toMatchObject({ status: "declined", declineCode: "generic_decline", message: "Your card was declined.", invoices: [{ invoiceId: a, status: "unpaid" }, { invoiceId: b, status: "unpaid" }] });
    expect((await db().select().from(payments).where(eq(payments.orgId, org.id))).map((p) => [p.status, p.declineCode, p.amountMinor])).toEqual([["failed", "generic_decline", 5_000]]);
    expect((await db().select().from(cardDeclines).where(eq(cardDeclines.fingerprint, card.fingerprint)).get())?.count).toBeGreaterThanOrEqual(1);
    expect(await outboxEvents(org.id)).toContain("payment.failed");
    // Each invoice's payment history lists the failed charge with that invoice's planned share.
    const [failed] = await db().select().from(payments).where(eq(payments.orgId, org.id));
    for (const [id, share] of [[a, 2_000], [b, 3_000]] as const) {
      const detail = (await (await (await callerAs(user.id))("GET", `/api/invoices/${id}`)).json()) as InvoiceDetail;
      expect(detail.failedAttempts.map((t) => [t.id, t.outcome, t.amountMinor, t.method, t.reason])).toEqual([
        [failed!.id, "declined", share, "VISA •••• 0341, Pay all of 2 invoices", "Your card was declined."],
      ]);
    }
    // An invoice the charge did not plan to pay (issued after it) shows nothing.
    const later = await issuedInvoice(org.id, 500);
    expect(((await (await (await callerAs(user.id))("GET", `/api/invoices/${later}`)).json()) as InvoiceDetail).failedAttempts).toEqual([]);
  });

  it("3-D Secure asked: says so and leaves the invoices unpaid", async () => {
    const { org, user } = await payerWithSavedCard("4000002760003184");
    const a = await issuedInvoice(org.id, 2_000, 4);
    await issuedInvoice(org.id, 1_000, 2);
    const res = await (await callerAs(user.id))("POST", "/api/invoices/pay-all", { expectedTotalMinor: 3_000 });
    expect(await res.json()).toMatchObject({ status: "requires_action", message: expect.stringContaining("3-D Secure") });
    expect((await invoiceRow(a)).status).toBe("unpaid");
    expect((await db().select().from(payments).where(eq(payments.orgId, org.id))).map((p) => p.status)).toEqual(["requires_action"]);
  });

  it("an answer lost after the gateway charged is resolved by the next Pay all with the same key: one charge", async () => {
    const { org, call } = await payerWithCard();
    const a = await issuedInvoice(org.id, 2_200, 4);
    const b = await issuedInvoice(org.id, 1_100, 2);
    await control("/__control/faults", { dropAfterCommit: 1, fail500: 3, match: org.id });
    await expectError(await call("POST", "/api/invoices/pay-all", { expectedTotalMinor: 3_300 }), 409, "PAYMENTS_UNAVAILABLE");
    await control("/__control/faults", {});
    const res = await call("POST", "/api/invoices/pay-all", { expectedTotalMinor: 3_300 });
    expect(await res.json()).toMatchObject({ status: "paid", cardMinor: 3_300 });
    expect((await gatewayCharges(org.id)).map((p) => [p.status, p.amount])).toEqual([["succeeded", 3_300]]);
    expect([(await invoiceRow(a)).status, (await invoiceRow(b)).status]).toEqual(["paid", "paid"]);
  });
});
