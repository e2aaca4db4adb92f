import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cardDeclines, paymentMethods } from "../../../../worker/db/schema";
import { chargeInvoice } from "../../../../worker/domain/collection/charge";
import { isHardDecline } from "../../../../worker/domain/collection/declines";
import { issuedInvoice, outboxEvents, payerWithSavedCard } from "../../../collection-fixtures";
import { testCtx } from "../../../context";
import { db } from "../../../factories";
import { expectAudit } from "../../../helpers";

const charge = (invoiceId: string) => chargeInvoice({ ctx: testCtx(), input: { invoiceId, initiatedBy: "auto" } });

describe("declines → Blocked", () => {
  it("at the decline limit (3 by default) the card is Blocked, card.blocked is emailed once, and no further attempt is made", async () => {
    const { org, card } = await payerWithSavedCard("4000000000000341");
    for (let i = 0; i < 3; i++) expect(await charge(await issuedInvoice(org.id, 1_000 + i))).toMatchObject({ status: "declined" });
    expect((await db().select().from(paymentMethods).where(eq(paymentMethods.id, card.id)).get())).toMatchObject({ status: "blocked", declineCount: 3 });
    expect((await db().select().from(cardDeclines).where(eq(cardDeclines.fingerprint, card.fingerprint)).get())?.blockedAt).not.toBeNull();
    expect((await outboxEvents(org.id)).filter((e) => e === "card.blocked")).toHaveLength(1);
    await expectAudit({ action: "payments.card.blocked", targetId: card.id });
    await expect(charge(await issuedInvoice(org.id, 999))).rejects.toMatchObject({ code: "CARD_BLOCKED" });
  });

  it("the count follows the card's fingerprint: the same card saved again (here by another account) stays blocked; hard codes are never retried", async () => {
    const { org } = await payerWithSavedCard("4000000000000341");
    const again = await payerWithSavedCard("4000000000000341");
    for (let i = 0; i < 3; i++) await charge(await issuedInvoice(org.id, 2_000 + i)).catch(() => undefined);
    await expect(charge(await issuedInvoice(again.org.id, 700))).rejects.toMatchObject({ code: "CARD_BLOCKED" });
    expect(["stolen_card", "lost_card", "fraudulent", "invalid_account"].every((c) => isHardDecline(c))).toBe(true);
    expect(isHardDecline("insufficient_funds")).toBe(false);
  });
});
