/**
 * Billing & Reports >> Customer Billing >> Credit Card Status: one row per customer and reseller organization
 * with its card on file (the default card; else its newest saved card), the card's state, declines and the
 * organization's payment preference. Operators see every organization, a reseller its own and its customers'
 * (domain/tenancy.ts). docs/decisions/019b-card-health-and-self-pay.md
 */
import { and, asc, eq, inArray, like, sql, type SQL } from "drizzle-orm";
import { CARD_STATE_LABELS, PROFILE_STATE_LABELS, type CardState, type CardStatusFilter, type CardStatusQuery, type CardStatusRow } from "../../contract/card-status";
import { brandLabel } from "../../contract/payments";
import { autoPayments, cardDeclines, organizations, paymentMethods, paymentPreferences } from "../../db/schema";
import type { ActorContext } from "../context";
import { offsetOf } from "../paging";
import { csvStream } from "../export/csv";
import { visibleOrganizations } from "../tenancy";

/** Months since year 0 of the current UTC month: a card is expired once this passes its expiry month. */
export function monthIndex(now: number): number {
  const d = new Date(now);
  return d.getUTCFullYear() * 12 + d.getUTCMonth() + 1;
}

/** The card on file: the default card, or (defensively, e.g. after a gateway-side removal) the newest saved one. */
export const cardOnFile = sql`${paymentMethods.id} = (SELECT p.id FROM payment_methods p WHERE p.org_id = ${organizations.id} AND p.status <> 'removed'
  ORDER BY p.is_default DESC, p.created_at DESC, p.id DESC LIMIT 1)`;

/**
 * Blocked: the saved card, or its fingerprint (declines are counted per fingerprint, so a removed and re-added
 * card stays blocked; docs/decisions/019-collection.md).
 */
export const blockedSql = sql`(${paymentMethods.status} = 'blocked' OR ${cardDeclines.blockedAt} IS NOT NULL)`;

/** Active / Blocked / Expired / none, in SQL so the status filter and the CSV agree with the screen. */
export function cardStateSql(now: number): SQL<CardState> {
  return sql<CardState>`CASE WHEN ${paymentMethods.id} IS NULL THEN 'none' WHEN ${blockedSql} THEN 'blocked'
    WHEN ${paymentMethods.expYear} * 12 + ${paymentMethods.expMonth} < ${monthIndex(now)} THEN 'expired' ELSE 'active' END`;
}

export function statusColumns(now: number) {
  return {
    orgId: organizations.id, orgName: organizations.name, orgKind: organizations.kind,
    cardId: paymentMethods.id, brand: paymentMethods.brand, last4: paymentMethods.last4, expMonth: paymentMethods.expMonth, expYear: paymentMethods.expYear,
    declineCount: sql<number | null>`COALESCE(${cardDeclines.count}, ${paymentMethods.declineCount})`, lastDeclineReason: cardDeclines.lastDeclineReason,
    cardState: cardStateSql(now), mode: paymentPreferences.mode, autoPayment: autoPayments.enabled,
  };
}

type StatusRow = { orgId: string; orgName: string; orgKind: string; cardId: string | null; brand: string | null; last4: string | null; expMonth: number | null;
  expYear: number | null; declineCount: number | null; lastDeclineReason: string | null; cardState: CardState; mode: "online" | "offline" | null; autoPayment: boolean | null };

/** Customer and reseller organizations the caller may see, with their card on file and payment preference. */
export function statusQuery(ctx: ActorContext, where: SQL | undefined) {
  return ctx.db.select(statusColumns(ctx.clock.now())).from(organizations)
    .leftJoin(paymentMethods, cardOnFile)
    .leftJoin(cardDeclines, eq(cardDeclines.fingerprint, paymentMethods.fingerprint))
    .leftJoin(paymentPreferences, eq(paymentPreferences.orgId, organizations.id))
    .leftJoin(autoPayments, eq(autoPayments.orgId, organizations.id))
    .where(scope(ctx, where));
}

const scope = (ctx: ActorContext, where: SQL | undefined) => and(inArray(organizations.kind, ["customer", "reseller"]), visibleOrganizations(ctx), where);

function filterWhere(now: number, f: CardStatusFilter): SQL | undefined {
  return and(
    f.status ? sql`${cardStateSql(now)} = ${f.status}` : undefined,
    f.profile ? (f.profile === "configured" ? sql`${paymentMethods.id} IS NOT NULL` : sql`${paymentMethods.id} IS NULL`) : undefined,
    f.orgId ? eq(organizations.id, f.orgId) : undefined,
    f.search ? like(organizations.name, `%${f.search.replace(/[%_\\]/g, "")}%`) : undefined,
  );
}

export function toStatusRow(r: StatusRow): CardStatusRow {
  const card = r.cardId ? { id: r.cardId, brand: r.brand!, brandLabel: brandLabel(r.brand!), last4: r.last4!, expMonth: r.expMonth!, expYear: r.expYear! } : null;
  return {
    orgId: r.orgId, orgName: r.orgName, orgKind: r.orgKind as CardStatusRow["orgKind"],
    profileStatus: card ? "configured" : "not_configured", cardStatus: r.cardState, card,
    declineCount: r.declineCount ?? 0, lastDeclineReason: card ? r.lastDeclineReason : null,
    autoPayment: Boolean(r.autoPayment), paymentMode: r.mode ?? "online",
  };
}

export async function listCardStatus(args: { ctx: ActorContext; input: CardStatusQuery }) {
  const { ctx, input } = args;
  const where = filterWhere(ctx.clock.now(), input);
  const [rows, total] = await Promise.all([
    statusQuery(ctx, where).orderBy(asc(organizations.name), asc(organizations.id)).limit(input.pageSize).offset(offsetOf(input)),
    ctx.db.select({ n: sql<number>`count(*)` }).from(organizations).leftJoin(paymentMethods, cardOnFile)
      .leftJoin(cardDeclines, eq(cardDeclines.fingerprint, paymentMethods.fingerprint)).where(scope(ctx, where)).get(),
  ]);
  return { items: rows.map((r) => toStatusRow(r as StatusRow)), page: input.page, pageSize: input.pageSize, total: Number(total?.n ?? 0) };
}

export const CARD_STATUS_CSV_HEADER = ["Organization", "Organization Type", "Billing Profile Status", "Credit Card Status", "Card Brand", "Last 4", "Expiry",
  "Declines Counted", "Last Decline Reason", "Auto Payment", "Payment Preference"];

const KIND = { customer: "Customer", reseller: "Reseller" } as const;
export const CSV_PAGE = 500;

/** Export CSV: every row matching the filter, streamed in keyset pages of (name, id). */
export function exportCardStatusCsv(args: { ctx: ActorContext; filter: CardStatusFilter }): ReadableStream<Uint8Array> {
  const { ctx, filter } = args;
  const where = filterWhere(ctx.clock.now(), filter);
  return csvStream(
    CARD_STATUS_CSV_HEADER,
    (after: CardStatusRow | undefined) => {
      const keyset = after ? sql`(${organizations.name} > ${after.orgName} OR (${organizations.name} = ${after.orgName} AND ${organizations.id} > ${after.orgId}))` : undefined;
      return statusQuery(ctx, and(where, keyset)).orderBy(asc(organizations.name), asc(organizations.id)).limit(CSV_PAGE)
        .then((rows) => rows.map((r) => toStatusRow(r as StatusRow)));
    },
    (r) => [r.orgName, KIND[r.orgKind], PROFILE_STATE_LABELS[r.profileStatus], CARD_STATE_LABELS[r.cardStatus], r.card?.brandLabel ?? "", r.card?.last4 ?? "",
      r.card ? `${String(r.card.expMonth).padStart(2, "0")}/${r.card.expYear}` : "", r.declineCount, r.lastDeclineReason ?? "", r.autoPayment ? "On" : "Off", r.paymentMode === "online" ? "Online" : "Offline"],
  );
}
