import { describe, expect, it } from "vitest";
import { chargeInvoice } from "../../../worker/domain/collection/charge";
import { fixedClock } from "../../../worker/integrations/clock";
import { testNow } from "../../clock";
import { gatewayCharges, issuedInvoice, payer, payerWithSavedCard } from "../../collection-fixtures";
import { testCtx } from "../../context";
import { createOrg, createUser } from "../../factories";
import { callerAs, expectError } from "../../helpers";

describe("Complete authentication: security", () => {
  it("another organization's invoice is not found, staff are refused, and no client secret leaks to them", async () => {
    const p = await payerWithSavedCard("4000002760003184");
    const inv = await issuedInvoice(p.org.id, 900);
    await chargeInvoice({ ctx: testCtx({ clock: fixedClock(testNow()) }), input: { invoiceId: inv, initiatedBy: "auto" } });
    const stranger = await payer();
    const staff = await createUser({ orgId: (await createOrg({ kind: "operator" })).id, role: "cloud_admin" });
    for (const path of [`/api/invoices/${inv}/pay/authentication`, `/api/invoices/${inv}/pay/authentication/complete`]) {
      await expectError(await (await callerAs(stranger.user.id))("POST", path), 404, "NOT_FOUND");
      await expectError(await (await callerAs(staff.id))("POST", path), 403, "FORBIDDEN");
    }
    // Nothing was touched at the gateway by the refused calls: the PaymentIntent still waits, off-session.
    expect((await gatewayCharges(p.org.id)).map((x) => [x.status, (x as unknown as { off_session: boolean }).off_session])).toEqual([["requires_payment_method", true]]);
  });
});
