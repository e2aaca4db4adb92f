/**
 * Card health (beyond the manual's Credit Card Status): where money is at risk because of a card.
 * - expiring: active cards that stop working within 30 days;
 * - blockedUnpaid: blocked cards of organizations with unpaid invoices;
 * - atRisk: organizations paying online with a live subscription and no usable card (none, blocked, expired,
 *   or expiring within 30 days).
 * "At stake" = what is unpaid now plus the next renewal of each live subscription, estimated as its latest
 * invoice's total; per currency. Each list shows the largest amounts first, cut at HEALTH_LIMIT rows.
 * docs/decisions/019b-card-health-and-self-pay.md
 */
import { and, desc, sql, type SQL } from "drizzle-orm";
import { CARD_EXPIRY_WARNING_DAYS, type CardHealth, type CardHealthRow, type CardStatusRow } from "../../contract/card-status";
import { currency } from "../../contract/currencies";
import { organizations, paymentMethods, paymentPreferences } from "../../db/schema";
import type { ActorContext } from "../context";
import { blockedSql, monthIndex, statusQuery, toStatusRow } from "./card-status";

/** Rows per list; the three lists together stay under D1's 100 bound parameters in the amount queries. */
export const HEALTH_LIMIT = 25;
const DAY = 86_400_000;

const unpaidSql = sql`(SELECT COALESCE(SUM(i.total_minor - i.amount_paid_minor), 0) FROM invoices i WHERE i.org_id = ${organizations.id} AND i.status = 'unpaid')`;
const liveSubsSql = sql`(SELECT COUNT(*) FROM resource_subscriptions s WHERE s.org_id = ${organizations.id} AND s.status = 'live')`;
const renewalSql = sql`(SELECT COALESCE(SUM(i.total_minor), 0) FROM resource_subscriptions s JOIN invoices i ON i.id = (SELECT j.id FROM invoices j
  WHERE j.subscription_id = s.id AND j.status IN ('unpaid', 'paid') ORDER BY j.period_to DESC, j.id DESC LIMIT 1) WHERE s.org_id = ${organizations.id} AND s.status = 'live')`;

type Candidate = Awaited<ReturnType<ReturnType<typeof statusQuery>["all"]>>[number];

async function candidates(ctx: ActorContext, where: SQL, withRenewal: boolean) {
  const order = withRenewal ? sql`${unpaidSql} + ${renewalSql}` : unpaidSql;
  const rows = await statusQuery(ctx, where).orderBy(desc(order), organizations.name, organizations.id).limit(HEALTH_LIMIT + 1);
  return { rows: rows.slice(0, HEALTH_LIMIT) as Candidate[], truncated: rows.length > HEALTH_LIMIT };
}

type Amounts = Map<string, Map<string, number>>;

function add(into: Amounts, orgId: string, code: string, minor: number) {
  const m = into.get(orgId) ?? new Map<string, number>();
  m.set(code, (m.get(code) ?? 0) + minor);
  into.set(orgId, m);
}

/** Unpaid amounts, renewal estimates and counts per organization and currency, for the rows shown. */
async function amountsFor(ctx: ActorContext, orgIds: string[]) {
  const unpaid: Amounts = new Map();
  const renewal: Amounts = new Map();
  const counts = new Map<string, { unpaid: number; live: number }>();
  if (orgIds.length === 0) return { unpaid, renewal, counts };
  const ids = sql.join(orgIds.map((id) => sql`${id}`), sql`, `);
  const [u, r, s] = await Promise.all([
    ctx.db.all<{ org_id: string; currency: string; n: number; minor: number }>(sql`SELECT org_id, currency, COUNT(*) AS n, SUM(total_minor - amount_paid_minor) AS minor
      FROM invoices WHERE status = 'unpaid' AND org_id IN (${ids}) GROUP BY org_id, currency`),
    ctx.db.all<{ org_id: string; currency: string; minor: number }>(sql`SELECT s.org_id, i.currency, SUM(i.total_minor) AS minor FROM resource_subscriptions s
      JOIN invoices i ON i.id = (SELECT j.id FROM invoices j WHERE j.subscription_id = s.id AND j.status IN ('unpaid', 'paid') ORDER BY j.period_to DESC, j.id DESC LIMIT 1)
      WHERE s.status = 'live' AND s.org_id IN (${ids}) GROUP BY s.org_id, i.currency`),
    ctx.db.all<{ org_id: string; n: number }>(sql`SELECT org_id, COUNT(*) AS n FROM resource_subscriptions WHERE status = 'live' AND org_id IN (${ids}) GROUP BY org_id`),
  ]);
  const count = (id: string) => counts.get(id) ?? counts.set(id, { unpaid: 0, live: 0 }).get(id)!;
  for (const row of u) { add(unpaid, row.org_id, row.currency, Number(row.minor)); count(row.org_id).unpaid += Number(row.n); }
  for (const row of r) add(renewal, row.org_id, row.currency, Number(row.minor));
  for (const row of s) count(row.org_id).live = Number(row.n);
  return { unpaid, renewal, counts };
}

function toHealthRow(c: Candidate, a: Awaited<ReturnType<typeof amountsFor>>, withRenewal: boolean): CardHealthRow {
  const row: CardStatusRow = toStatusRow(c);
  const total: Amounts = new Map();
  for (const [code, minor] of a.unpaid.get(row.orgId) ?? []) add(total, row.orgId, code, minor);
  if (withRenewal) for (const [code, minor] of a.renewal.get(row.orgId) ?? []) add(total, row.orgId, code, minor);
  const atStake = [...(total.get(row.orgId) ?? new Map<string, number>())].filter(([, minor]) => minor > 0).sort(([x], [y]) => x.localeCompare(y))
    .map(([code, minor]) => ({ currency: code, minor, exponent: currency(code).exponent }));
  const expiresOn = row.card && row.cardStatus === "active" ? new Date(Date.UTC(row.card.expYear, row.card.expMonth, 1)).toISOString().slice(0, 10) : null;
  const n = a.counts.get(row.orgId) ?? { unpaid: 0, live: 0 };
  return { orgId: row.orgId, orgName: row.orgName, orgKind: row.orgKind, cardStatus: row.cardStatus, card: row.card, expiresOn, unpaidInvoices: n.unpaid, runningSubscriptions: n.live, atStake };
}

export async function getCardHealth(args: { ctx: ActorContext }): Promise<CardHealth> {
  const { ctx } = args;
  const now = ctx.clock.now();
  const ym = sql`(${paymentMethods.expYear} * 12 + ${paymentMethods.expMonth})`;
  const expiringSoon = sql`${paymentMethods.id} IS NOT NULL AND NOT ${blockedSql} AND ${ym} >= ${monthIndex(now)} AND ${ym} < ${monthIndex(now + CARD_EXPIRY_WARNING_DAYS * DAY)}`;
  const unusable = sql`(${paymentMethods.id} IS NULL OR ${blockedSql} OR ${ym} < ${monthIndex(now + CARD_EXPIRY_WARNING_DAYS * DAY)})`;
  const online = sql`COALESCE(${paymentPreferences.mode}, 'online') = 'online'`;
  const [expiring, blockedUnpaid, atRisk] = await Promise.all([
    candidates(ctx, expiringSoon, true),
    candidates(ctx, sql`${blockedSql} AND ${unpaidSql} > 0`, false),
    candidates(ctx, and(unusable, online, sql`${liveSubsSql} > 0`)!, true),
  ]);
  const orgIds = [...new Set([...expiring.rows, ...blockedUnpaid.rows, ...atRisk.rows].map((r) => r.orgId))];
  const amounts = await amountsFor(ctx, orgIds);
  return {
    expiring: expiring.rows.map((r) => toHealthRow(r, amounts, true)),
    blockedUnpaid: blockedUnpaid.rows.map((r) => toHealthRow(r, amounts, false)),
    atRisk: atRisk.rows.map((r) => toHealthRow(r, amounts, true)),
    limit: HEALTH_LIMIT,
    truncated: expiring.truncated || blockedUnpaid.truncated || atRisk.truncated,
  };
}
