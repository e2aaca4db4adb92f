/** Billing Configurations » Credit Card Settings: the saved row as the section shows it (docs/decisions/016c-card-settings.md). */
import { formatDecimal } from "../../contract/money";
import type { CardSettings } from "../../contract/payments";
import type { AppDb } from "../../db/client";
import type { DomainContext } from "../context";
import { getBillingCurrency } from "../wallet/currency";
import { cardSettings, type CardSettingsRow } from "./card-settings";

type OrgRef = CardSettings["exempt"][number];

/**
 * The customer and reseller organizations among `ids`, by name. The ids travel as ONE JSON parameter
 * (`json_each`), so a long exemption list stays within D1's 100 bound parameters per statement.
 */
export async function exemptOrgs(db: AppDb, ids: string[]): Promise<OrgRef[]> {
  if (!ids.length) return [];
  const { results } = await db.$client
    .prepare(`SELECT id, name, kind FROM organizations WHERE id IN (SELECT value FROM json_each(?)) AND kind IN ('customer', 'reseller') ORDER BY name, id`)
    .bind(JSON.stringify(ids))
    .all<OrgRef>();
  return results;
}

export async function cardSettingsView(ctx: Pick<DomainContext, "db">, row: CardSettingsRow): Promise<CardSettings> {
  const cur = await getBillingCurrency(ctx.db);
  return {
    enforceCard: row.enforceCard,
    exceptTrialCustomer: row.exceptTrialCustomer,
    exempt: await exemptOrgs(ctx.db, JSON.parse(row.exemptOrgIds) as string[]),
    linkMultipleAccounts: row.linkMultipleAccounts,
    validityDeductionEnabled: row.validityDeduction,
    validityDeduction: row.validityDeductionMinor > 0 ? formatDecimal({ value: BigInt(row.validityDeductionMinor), scale: cur.exponent }, cur.exponent) : "",
    validityDeductionMinor: row.validityDeductionMinor,
    currency: cur.code,
    declineLimit: row.declineLimit,
    updatedAt: row.updatedAt ? new Date(row.updatedAt).toISOString() : null,
  };
}

export async function getCardSettings(args: { ctx: DomainContext }): Promise<CardSettings> {
  return cardSettingsView(args.ctx, await cardSettings(args.ctx));
}
