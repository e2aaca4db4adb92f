/**
 * "Enforce Credit Card" at the door (docs/decisions/016c-card-settings.md): must this organization add a card
 * before it may use the portal? ONE read: nothing is enforced when the settings row is absent or off, and the
 * exemption, the trial exception and whether a valid card exists are answered in the same statement.
 */
import type { ActorContext, DomainContext } from "../context";

export interface CardStanding {
  /** Enforce Credit Card applies to this organization (not exempt, not a trial customer when excepted). */
  required: boolean;
  /** Required and no valid card: only Payment Info, sign-out and account security work. */
  blocked: boolean;
}

const NONE: CardStanding = { required: false, blocked: false };

/** Months since year 0 of the current UTC month: a card is valid while exp_year × 12 + exp_month is greater. */
const monthIndex = (now: number) => {
  const d = new Date(now);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

export async function cardStanding(ctx: Pick<DomainContext, "db" | "clock">, orgId: string): Promise<CardStanding> {
  const row = await ctx.db.$client
    .prepare(
      `SELECT s.except_trial_customer AS exceptTrial,
         EXISTS (SELECT 1 FROM json_each(s.exempt_org_ids) WHERE value = ?1) AS exempt,
         EXISTS (SELECT 1 FROM payment_methods WHERE org_id = ?1 AND status = 'active' AND exp_year * 12 + exp_month > ?2) AS hasCard,
         (SELECT count(*) FROM resource_subscriptions WHERE org_id = ?1 AND status IN ('trial', 'live', 'suspended')) AS subs,
         (SELECT count(*) FROM resource_subscriptions WHERE org_id = ?1 AND status = 'trial') AS trials
       FROM credit_card_settings s WHERE s.id = 1 AND s.enforce_card = 1`,
    )
    .bind(orgId, monthIndex(ctx.clock.now()))
    .first<{ exceptTrial: number; exempt: number; hasCard: number; subs: number; trials: number }>();
  if (!row || row.exempt) return NONE;
  if (row.exceptTrial && row.subs === 1 && row.trials === 1) return NONE;
  return { required: true, blocked: row.hasCard !== 1 };
}

/** The signed-in user's organization; the operator never needs a card. */
export async function ownCardStanding(args: { ctx: ActorContext }): Promise<CardStanding> {
  const p = args.ctx.principal;
  return p.orgKind === "operator" ? NONE : cardStanding(args.ctx, p.orgId);
}
