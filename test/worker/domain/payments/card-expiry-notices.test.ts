/**
 * "Card expiring" (docs/decisions/019b-card-health-and-self-pay.md): the cron emails the primary contact once per
 * card and expiry, 30 days (or less) before the card stops working; never for a blocked card, a card expiring
 * later, or an organization without a card.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailOutbox } from "../../../../worker/db/schema";
import { sendCardExpiryNotices } from "../../../../worker/domain/payments/card-expiry-notices";
import { fixedClock } from "../../../../worker/integrations/clock";
import { declines, savedCard } from "../../../card-fixtures";
import { payer } from "../../../collection-fixtures";
import { testCtx } from "../../../context";
import { db } from "../../../factories";

const DAY = 86_400_000;
const outbox = (orgId: string) => db().select().from(emailOutbox).where(and(eq(emailOutbox.orgId, orgId), eq(emailOutbox.event, "card.expiring")));

describe("card expiry notices", () => {
  it("emails once per card and expiry, inside the 30 days only, never for a blocked card", async () => {
    const soon = await payer();
    const card = await savedCard(soon.org.id, { expiresIn: 1, brand: "mastercard", last4: "4444" });
    const stops = Date.UTC(card.expYear, card.expMonth, 1);
    const later = await payer();
    await savedCard(later.org.id, { expiresIn: 4 });
    const blocked = await payer();
    const blockedCard = await savedCard(blocked.org.id, { expiresIn: 1 });
    await declines(blockedCard.fingerprint, 3, { blocked: true });

    // 31 days before: not yet.
    await sendCardExpiryNotices(testCtx({ clock: fixedClock(stops - 31 * DAY) }));
    expect(await outbox(soon.org.id)).toHaveLength(0);
    // 10 days before: once, however often the cron runs.
    const ctx = testCtx({ clock: fixedClock(stops - 10 * DAY) });
    await sendCardExpiryNotices(ctx);
    await sendCardExpiryNotices(ctx);
    const rows = await outbox(soon.org.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.toAddress).toBe(soon.user.email);
    expect(rows[0]!.idempotencyKey).toBe(`card.expiring:${card.id}:${card.expYear}-${String(card.expMonth).padStart(2, "0")}`);
    const tags = JSON.parse(rows[0]!.data) as Record<string, string>;
    expect(tags).toMatchObject({ "card.brand": "Master Card", "card.last4": "4444", "card.expiry": `${String(card.expMonth).padStart(2, "0")}/${card.expYear}` });
    expect(tags["billing.payment_info_url"]).toMatch(/\/billing\/payment-info$/);
    expect(ctx.sent.filter((m) => m.idempotencyKey === rows[0]!.idempotencyKey)).toHaveLength(1);
    expect(await outbox(later.org.id)).toHaveLength(0);
    expect(await outbox(blocked.org.id)).toHaveLength(0);
  });
});
