/**
 * "Credit Card Settings" (Billing Configurations): the row, its defaults, and who must hold a card.
 * A database without the row answers with the defaults (nothing enforced, cards may be shared, no deduction).
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { creditCardSettings, resourceSubscriptions } from "../../db/schema";
import type { DomainContext } from "../context";

export type CardSettingsRow = typeof creditCardSettings.$inferSelect;

export const DEFAULT_CARD_SETTINGS: CardSettingsRow = {
  id: 1,
  enforceCard: false,
  exceptTrialCustomer: false,
  exemptOrgIds: "[]",
  linkMultipleAccounts: true,
  validityDeduction: false,
  validityDeductionMinor: 0,
  declineLimit: 3,
  updatedBy: null,
  updatedAt: 0,
};

export async function cardSettings(ctx: Pick<DomainContext, "db">): Promise<CardSettingsRow> {
  return (await ctx.db.select().from(creditCardSettings).where(eq(creditCardSettings.id, 1)).get()) ?? DEFAULT_CARD_SETTINGS;
}

const ONGOING = ["trial", "live", "suspended"] as const;

/** Resource Subscriptions still running (trial, live or suspended) and how many of them are trials. */
export async function ongoingSubscriptions(ctx: Pick<DomainContext, "db">, orgId: string): Promise<{ total: number; trials: number }> {
  const row = await ctx.db
    .select({ total: sql<number>`count(*)`, trials: sql<number>`coalesce(sum(${resourceSubscriptions.status} = 'trial'), 0)` })
    .from(resourceSubscriptions)
    .where(and(eq(resourceSubscriptions.orgId, orgId), inArray(resourceSubscriptions.status, [...ONGOING])))
    .get();
  return { total: Number(row?.total ?? 0), trials: Number(row?.trials ?? 0) };
}

/**
 * "Enforce Credit Card" for one organization: on, unless it is in "Enforcement Exemption", or "Except Trial
 * Customer" is on and its only ongoing Resource Subscription is a single trial.
 */
export async function cardRequired(ctx: Pick<DomainContext, "db">, orgId: string, settings?: CardSettingsRow): Promise<boolean> {
  const s = settings ?? (await cardSettings(ctx));
  if (!s.enforceCard) return false;
  if ((JSON.parse(s.exemptOrgIds) as string[]).includes(orgId)) return false;
  if (s.exceptTrialCustomer) {
    const subs = await ongoingSubscriptions(ctx, orgId);
    if (subs.total === 1 && subs.trials === 1) return false;
  }
  return true;
}
