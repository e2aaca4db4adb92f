/** The cron sweep of hosted payments (ADR 016b): pending payments are asked about once they have been quiet a while. */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { payments } from "../../../../worker/db/schema";
import { sweepHostedPayments } from "../../../../worker/domain/hosted-pay/sweep";
import { fixedClock } from "../../../../worker/integrations/clock";
import { testNow } from "../../../clock";
import { invoiceRow, issuedInvoice, payer } from "../../../collection-fixtures";
import { testCtx } from "../../../context";
import { db } from "../../../factories";
import { useWorld } from "../../../helpers";
import { control } from "../../../local-stripe";
import { as } from "../../routes/payment-helpers";
import { enableAdpay, payOnPage, startPay } from "../../routes/pay-by-redirect-helpers";

const world = useWorld();
const sweepAt = (ms: number) => sweepHostedPayments(testCtx({ clock: fixedClock(ms) }));

async function openPage(amount: number) {
  await enableAdpay(world.admin.id);
  const { org, user } = await payer();
  const inv = await issuedInvoice(org.id, amount);
  const start = await startPay(await as(user.id), inv, amount);
  return { org, inv, url: start.body.url!, paymentId: new URL(start.body.url!).pathname.split("/").pop()! };
}

describe("sweepHostedPayments", () => {
  it("settles a payment the payer finished but never came back from, only once it has been quiet for 2 minutes", async () => {
    const { inv, url } = await openPage(1_100);
    await payOnPage(url);
    expect((await sweepAt(testNow())).checked).toBe(0);
    const swept = await sweepAt(testNow() + 3 * 60_000);
    expect(swept.failed).toBe(0);
    expect((await invoiceRow(inv)).status).toBe("paid");
  });

  it("records an expired page with its reason; a page still open stays pending and goes to the back of the queue", async () => {
    const expired = await openPage(800);
    const open = await openPage(900);
    await control("/__control/adpay/expire", { payment_id: expired.paymentId });
    const at = testNow() + 3 * 60_000;
    await sweepAt(at);
    const [e] = await db().select().from(payments).where(eq(payments.orgId, expired.org.id));
    expect(e).toMatchObject({ status: "failed", declineCode: "expired" });
    expect(e!.failureMessage).toContain("expired");
    const [o] = await db().select().from(payments).where(eq(payments.orgId, open.org.id));
    expect(o).toMatchObject({ status: "pending", updatedAt: at });
    expect((await invoiceRow(expired.inv)).status).toBe("unpaid");
  });
});
