/**
 * Carrying out the machine's effects (machine.ts) for one organization. Every effect is keyed: the Durable
 * Object records a key once its effect committed and skips it when a retried alarm produces it again, and each
 * effect is itself safe to repeat (outbox rows with an idempotency key, conditional updates), so a crash
 * between the two costs nothing.
 */
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import { currency as currencyOf } from "../../contract/currencies";
import { formatMoney } from "../../contract/money";
import { atomically, rawStatement, type RawStatement } from "../../db/atomic";
import { resources, resourceSubscriptions } from "../../db/schema";
import type { DomainContext } from "../context";
import { dispatchEmails, formatDate, prepareNotification } from "../email/notify";
import type { OrgBalance } from "./balance";
import { caseWindows, type DunningCase, type DunningEffect, type DunningEmailEvent } from "./machine";
import type { Phase } from "./policy";

/** Durable storage for what an effect decided the first time (e.g. which subscriptions it suspended). */
export interface EffectMemo {
  get(key: string): string | null;
  put(key: string, value: string): void;
}

export interface EffectInput {
  ctx: DomainContext;
  orgId: string;
  c: DunningCase;
  balance: OrgBalance;
  /** Amount overdue before this step (what a payment that ends the case paid). */
  previousOverdueMinor: number;
  memo: EffectMemo;
}

export async function applyEffect(input: EffectInput, effect: DunningEffect): Promise<void> {
  switch (effect.kind) {
    case "email":
      return sendDunningEmail(input, effect.event, effect.key);
    case "suspend":
      return suspend(input, effect.key);
    case "unsuspend":
      return unsuspend(input);
    case "terminate":
      return terminate(input);
  }
}

/** The subscriptions suspension applies to: running ones, except those whose current period is paid (ADR 018). */
async function suspendable(ctx: DomainContext, orgId: string): Promise<Array<{ id: string; status: string }>> {
  const today = new Date(ctx.clock.now()).toISOString().slice(0, 10);
  return ctx.db
    .select({ id: resourceSubscriptions.id, status: resourceSubscriptions.status })
    .from(resourceSubscriptions)
    .where(and(
      eq(resourceSubscriptions.orgId, orgId),
      inArray(resourceSubscriptions.status, ["trial", "live"]),
      sql`NOT (${resourceSubscriptions.billedThrough} > ${today} AND ${resourceSubscriptions.id} NOT IN (SELECT subscription_id FROM invoices WHERE org_id = ${orgId} AND status = 'unpaid' AND subscription_id IS NOT NULL))`,
    ))
    .all();
}

async function suspend({ ctx, orgId, memo }: EffectInput, key: string): Promise<void> {
  const remembered = memo.get(key);
  const subs: Array<{ id: string; status: string }> = remembered ? JSON.parse(remembered) : await suspendable(ctx, orgId);
  if (!remembered) {
    memo.put(key, JSON.stringify(subs));
    memo.put("suspended-by", key);
  }
  const now = ctx.clock.now();
  const ids = subs.map((s) => s.id);
  const statements: RawStatement[] = [
    rawStatement(`UPDATE organizations SET status = 'suspended', updated_at = ? WHERE id = ? AND status = 'active'`, [now, orgId]),
  ];
  for (const part of chunks(ids, 90)) {
    const marks = part.map(() => "?").join(",");
    statements.push(
      rawStatement(`UPDATE resource_subscriptions SET status = 'suspended', updated_at = ? WHERE status IN ('trial','live') AND id IN (${marks})`, [now, ...part]),
      rawStatement(`UPDATE resources SET status = 'suspended', updated_at = ? WHERE status IN ('active','provisioning') AND subscription_id IN (${marks})`, [now, ...part]),
    );
  }
  await atomically(ctx.db, statements);
}

/** Lifts the suspension `key` recorded: each subscription back to the status it had, its resources active. */
async function unsuspend({ ctx, orgId, memo }: EffectInput): Promise<void> {
  const suspendedKey = memo.get("suspended-by");
  const subs: Array<{ id: string; status: string }> = suspendedKey ? JSON.parse(memo.get(suspendedKey) ?? "[]") : [];
  const now = ctx.clock.now();
  const statements: RawStatement[] = [rawStatement(`UPDATE organizations SET status = 'active', updated_at = ? WHERE id = ?`, [now, orgId])];
  for (const s of subs) {
    statements.push(
      rawStatement(`UPDATE resource_subscriptions SET status = ?, updated_at = ? WHERE id = ? AND status = 'suspended'`, [s.status, now, s.id]),
      rawStatement(`UPDATE resources SET status = 'active', updated_at = ? WHERE subscription_id = ? AND status = 'suspended'`, [now, s.id]),
    );
  }
  for (const part of chunks(statements, 100)) await atomically(ctx.db, part);
}

/** Termination: every resource of the organization terminated, its subscriptions cancelled; the rest stays. */
async function terminate({ ctx, orgId }: EffectInput): Promise<void> {
  const now = ctx.clock.now();
  await atomically(ctx.db, [
    rawStatement(`UPDATE resources SET status = 'terminated', updated_at = ? WHERE org_id = ? AND status <> 'terminated'`, [now, orgId]),
    rawStatement(`UPDATE resource_subscriptions SET status = 'cancelled', updated_at = ? WHERE org_id = ? AND status NOT IN ('cancelled','terminated')`, [now, orgId]),
    rawStatement(`UPDATE organizations SET status = 'suspended', updated_at = ? WHERE id = ?`, [now, orgId]),
  ]);
}

async function resourceSummary(ctx: DomainContext, orgId: string, terminated: boolean) {
  const rows = await ctx.db
    .select({ name: resources.name, sub: resourceSubscriptions.name })
    .from(resources)
    .innerJoin(resourceSubscriptions, eq(resourceSubscriptions.id, resources.subscriptionId))
    .where(and(eq(resources.orgId, orgId), terminated ? eq(resources.status, "terminated") : notInArray(resources.status, ["terminated"])))
    .all();
  const subs = [...new Set(rows.map((r) => r.sub))];
  return { "resources.count": String(rows.length), "resources.summary": rows.map((r) => r.name).join(", ") || "none", "subscription.name": subs.join(", ") || "none" };
}

async function sendDunningEmail(input: EffectInput, event: DunningEmailEvent, key: string): Promise<void> {
  const { ctx, orgId, c, balance } = input;
  const tags = { ...caseTags(ctx, c, balance), "payment.amount": money(balance.currency, input.previousOverdueMinor), ...(event === "dunning.delete_notice" || event === "resources.terminated" ? await resourceSummary(ctx, orgId, event === "resources.terminated") : {}) };
  const mail = await prepareNotification(ctx, { event, orgId, to: { primaryContactOf: orgId }, tags, idempotencyKey: `dunning:${orgId}:${key}` });
  if (!mail.statements.length) return;
  await atomically(ctx.db, mail.statements);
  await dispatchEmails(ctx, mail.messages);
}

/** The dunning tags of every dunning email: amounts and the case's real dates (docs: email catalogue). */
export function caseTags(ctx: DomainContext, c: DunningCase, balance: OrgBalance): Record<string, string> {
  const amount = money(balance.currency, balance.amountOverdueMinor);
  const now = ctx.clock.now();
  const s = c.policy ? caseWindows(c) : null;
  const startOf = (p: Phase) => s?.windows.find((w) => w.phase === p)?.start ?? s?.terminationAt ?? now;
  const termination = s?.terminationAt ?? now;
  return {
    "dunning.amount_due": amount,
    "dunning.oldest_due_date": formatDate(balance.oldestUnpaidDueAt !== null ? balance.oldestUnpaidDueAt - 86_400_000 : now),
    "dunning.days_overdue": String(balance.oldestUnpaidDueAt !== null ? Math.max(0, Math.floor((now - balance.oldestUnpaidDueAt) / 86_400_000) + 1) : 0),
    "dunning.warning_date": formatDate(s?.windows.find((w) => w.phase !== "grace")?.start ?? termination),
    "dunning.suspension_date": formatDate(startOf("suspended")),
    "dunning.delete_notice_date": formatDate(startOf("delete_notice")),
    "dunning.termination_date": formatDate(termination),
    "termination.date": formatDate(now),
    "account.reactivated_at": formatDate(now),
    "portal.pay_url": `${ctx.config.PUBLIC_ORIGIN.replace(/\/$/, "")}/billing/invoices`,
  };
}

function money(cur: string | null, minor: number): string {
  const code = cur ?? "EUR";
  return formatMoney(minor, code, currencyOf(code).exponent);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
