/**
 * Reading the platform's billing settings ("Billing Configurations" → "Currency Settings"). The row is created
 * by migration 0008 (EUR, precision 4, 14 days); a database without it still answers with those defaults.
 */
import { eq, sql } from "drizzle-orm";
import { ROUNDING_RULE_TEXT, type BillingSettings } from "../../contract/billing";
import { currency } from "../../contract/currencies";
import { billingSettings, invoices } from "../../db/schema";
import type { AppDb } from "../../db/client";

export interface SettingsRow {
  currency: string;
  precision: number;
  paymentTermsDays: number;
  invoicePrefix: string;
  updatedAt: number;
}

export const DEFAULT_SETTINGS: SettingsRow = { currency: "EUR", precision: 4, paymentTermsDays: 14, invoicePrefix: "INV", updatedAt: 0 };

export async function settingsRow(db: AppDb): Promise<SettingsRow> {
  const row = await db.select().from(billingSettings).where(eq(billingSettings.id, 1)).get();
  return row ?? DEFAULT_SETTINGS;
}

/** Currency and precision are locked once any invoice has been issued (drafts do not count). */
export async function settingsLocked(db: AppDb): Promise<boolean> {
  const row = await db.select({ one: sql<number>`1` }).from(invoices).where(sql`${invoices.status} <> 'draft'`).limit(1).get();
  return !!row;
}

export function toSettingsDto(row: SettingsRow, locked: boolean): BillingSettings {
  return {
    currency: row.currency,
    currencyExponent: currency(row.currency).exponent,
    precision: row.precision,
    paymentTermsDays: row.paymentTermsDays,
    invoicePrefix: row.invoicePrefix,
    locked,
    roundingRule: ROUNDING_RULE_TEXT,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export async function getBillingSettings(args: { ctx: { db: AppDb } }): Promise<BillingSettings> {
  const [row, locked] = await Promise.all([settingsRow(args.ctx.db), settingsLocked(args.ctx.db)]);
  return toSettingsDto(row, locked);
}
