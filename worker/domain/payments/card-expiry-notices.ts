/**
 * The "card expiring" email (catalogue: worker/contract/email-events.ts), sent by the cron to the primary
 * contact of each customer and reseller organization whose card on file (default card; else its newest saved
 * card) stops working within CARD_EXPIRY_WARNING_DAYS days and is not blocked. Once per card and expiry: the
 * outbox idempotency key is `card.expiring:<card>:<yyyy-mm>`, and cards whose key is already in the outbox are
 * not selected again (a card updated with a new expiry gets a new key). docs/decisions/019b-card-health-and-self-pay.md
 */
import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { CARD_EXPIRY_WARNING_DAYS } from "../../contract/card-status";
import { brandLabel } from "../../contract/payments";
import { atomically } from "../../db/atomic";
import { cardDeclines, organizations, paymentMethods } from "../../db/schema";
import type { DomainContext } from "../context";
import { formatDate, dispatchEmails, prepareNotifications, type Notification } from "../email/notify";
import { cardOnFile, monthIndex } from "./card-status";
import { paymentInfoUrl } from "./urls";

const DAY = 86_400_000;
/** Cards per batch; a run stops after MAX_PAGES (the next cron run continues), well under 1,000 queries. */
export const NOTICE_PAGE = 50;
const MAX_PAGES = 20;

const keyOf = (c: { id: string; expYear: number; expMonth: number }) => `card.expiring:${c.id}:${c.expYear}-${String(c.expMonth).padStart(2, "0")}`;

function duePage(ctx: DomainContext, after: string | undefined) {
  const now = ctx.clock.now();
  const ym = sql`(${paymentMethods.expYear} * 12 + ${paymentMethods.expMonth})`;
  const key = sql`'card.expiring:' || ${paymentMethods.id} || ':' || ${paymentMethods.expYear} || '-' || printf('%02d', ${paymentMethods.expMonth})`;
  return ctx.db.select({ id: paymentMethods.id, orgId: organizations.id, brand: paymentMethods.brand, last4: paymentMethods.last4, expMonth: paymentMethods.expMonth, expYear: paymentMethods.expYear })
    .from(organizations)
    .innerJoin(paymentMethods, cardOnFile)
    .leftJoin(cardDeclines, eq(cardDeclines.fingerprint, paymentMethods.fingerprint))
    .where(and(
      inArray(organizations.kind, ["customer", "reseller"]),
      eq(paymentMethods.status, "active"),
      isNull(cardDeclines.blockedAt),
      sql`${ym} >= ${monthIndex(now)} AND ${ym} < ${monthIndex(now + CARD_EXPIRY_WARNING_DAYS * DAY)}`,
      sql`NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.idempotency_key = ${key})`,
      after ? gt(paymentMethods.id, after) : undefined,
    ))
    .orderBy(asc(paymentMethods.id))
    .limit(NOTICE_PAGE);
}

export async function sendCardExpiryNotices(ctx: DomainContext): Promise<{ queued: number }> {
  let after: string | undefined;
  let queued = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const cards = await duePage(ctx, after);
    if (cards.length === 0) break;
    after = cards[cards.length - 1]!.id;
    const list: Notification[] = cards.map((c) => ({
      event: "card.expiring", orgId: c.orgId, to: { primaryContactOf: c.orgId }, idempotencyKey: keyOf(c),
      tags: {
        "card.brand": brandLabel(c.brand), "card.last4": c.last4, "card.expiry": `${String(c.expMonth).padStart(2, "0")}/${c.expYear}`,
        "card.expires_on": formatDate(Date.UTC(c.expYear, c.expMonth, 1)), "billing.payment_info_url": paymentInfoUrl(ctx),
      },
    }));
    const mail = await prepareNotifications(ctx, list);
    if (mail.statements.length) await atomically(ctx.db, mail.statements);
    await dispatchEmails(ctx, mail.messages);
    queued += mail.messages.length;
    if (cards.length < NOTICE_PAGE) break;
  }
  return { queued };
}
