/**
 * The platform's billing currency, read from Billing Configurations (`billing_settings` id 1). Until an
 * administrator has saved the settings, wallets are kept in EUR (the documented default the settings screen
 * also starts from). An unknown code in the table is a configuration error, never silently replaced.
 */
import { eq } from "drizzle-orm";
import { currency as currencyInfo } from "../../contract/currencies";
import type { AppDb } from "../../db/client";
import { billingSettings } from "../../db/schema";

export const DEFAULT_BILLING_CURRENCY = "EUR";

export async function getBillingCurrency(db: AppDb): Promise<{ code: string; exponent: number }> {
  const row = await db.select({ currency: billingSettings.currency }).from(billingSettings).where(eq(billingSettings.id, 1)).get();
  const info = currencyInfo(row?.currency ?? DEFAULT_BILLING_CURRENCY);
  return { code: info.code, exponent: info.exponent };
}
