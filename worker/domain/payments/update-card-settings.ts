/**
 * Billing Configurations » Credit Card Settings » Save (docs/decisions/016c-card-settings.md). Guards: the
 * exempted organizations exist and are customers or resellers, the Validity Deduction is a valid amount of the
 * billing currency; then one batch: the upsert and its audit row (only when something changed).
 */
import { creditAmountMinor, creditAmountProblem } from "../../contract/wallet";
import { CardSettingsInput, type CardSettings } from "../../contract/payments";
import { atomically, rawStatement } from "../../db/atomic";
import { validationFailed } from "../../errors";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";
import { getBillingCurrency } from "../wallet/currency";
import { cardSettings, type CardSettingsRow } from "./card-settings";
import { cardSettingsView, exemptOrgs } from "./get-card-settings";

type Values = Omit<CardSettingsRow, "id" | "updatedBy" | "updatedAt">;

async function valuesOf(ctx: ActorContext, input: CardSettingsInput, before: CardSettingsRow): Promise<Values> {
  const ids = [...new Set(input.exemptOrgIds)];
  const found = await exemptOrgs(ctx.db, ids);
  if (found.length !== ids.length) throw validationFailed({ exemptOrgIds: "Choose customer or reseller organizations only; one of them no longer exists." });
  let minor = before.validityDeductionMinor;
  if (input.validityDeduction !== "" || input.validityDeductionEnabled) {
    const cur = await getBillingCurrency(ctx.db);
    const problem = creditAmountProblem(input.validityDeduction, cur.exponent);
    if (problem) throw validationFailed({ validityDeduction: problem });
    minor = Number(creditAmountMinor(input.validityDeduction, cur.exponent));
  }
  return {
    enforceCard: input.enforceCard,
    exceptTrialCustomer: input.exceptTrialCustomer,
    exemptOrgIds: JSON.stringify(found.map((o) => o.id).sort()),
    linkMultipleAccounts: input.linkMultipleAccounts,
    validityDeduction: input.validityDeductionEnabled,
    validityDeductionMinor: minor,
    declineLimit: input.declineLimit,
  };
}

/** The audit diff names settings; the exemption list as ids, so a rename never looks like a change. */
const audited = (v: Values): Record<string, unknown> => ({ ...v, exemptOrgIds: JSON.parse(v.exemptOrgIds) as string[] });

export async function updateCardSettings(args: { ctx: ActorContext; input: CardSettingsInput }): Promise<CardSettings> {
  const { ctx } = args;
  const input = CardSettingsInput.parse(args.input);
  const before = await cardSettings(ctx);
  const v = await valuesOf(ctx, input, before);
  const { id: _id, updatedBy: _by, updatedAt: _at, ...old } = before;
  if (JSON.stringify(audited(old)) === JSON.stringify(audited(v))) return cardSettingsView(ctx, before);
  const now = ctx.clock.now();
  await atomically(ctx.db, [
    rawStatement(
      `INSERT INTO credit_card_settings (id, enforce_card, except_trial_customer, exempt_org_ids, link_multiple_accounts, validity_deduction, validity_deduction_minor, decline_limit, updated_by, updated_at)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET enforce_card = excluded.enforce_card, except_trial_customer = excluded.except_trial_customer,
         exempt_org_ids = excluded.exempt_org_ids, link_multiple_accounts = excluded.link_multiple_accounts, validity_deduction = excluded.validity_deduction,
         validity_deduction_minor = excluded.validity_deduction_minor, decline_limit = excluded.decline_limit, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [v.enforceCard ? 1 : 0, v.exceptTrialCustomer ? 1 : 0, v.exemptOrgIds, v.linkMultipleAccounts ? 1 : 0, v.validityDeduction ? 1 : 0, v.validityDeductionMinor, v.declineLimit, ctx.principal.userId, now],
    ),
    auditIfChanged(ctx, { action: "billing.card_settings.updated", orgId: null, targetType: "credit_card_settings", targetId: "1", before: audited(old), after: audited(v) }),
  ]);
  return cardSettingsView(ctx, await cardSettings(ctx));
}
