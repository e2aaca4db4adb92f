/** Billing Configurations: Currency Settings, tax rules and billing runs. */
import { query, revalidate } from "@solidjs/router";
import type { BillingRun, BillingSettings, TaxRule, TaxRuleInput, TaxRuleUpdateInput, UpdateBillingSettingsInput } from "../../worker/contract/billing";
import { api } from "./client";

export const getBillingSettings = query(() => api.get<BillingSettings>("/billing/settings"), "billing.settings");

export async function saveBillingSettings(input: UpdateBillingSettingsInput): Promise<BillingSettings> {
  const saved = await api.put<BillingSettings>("/billing/settings", input);
  await revalidate("billing.settings");
  return saved;
}

export const getTaxRules = query(async () => (await api.get<{ items: TaxRule[] }>("/tax-rules")).items, "billing.taxRules");

export async function createTaxRule(input: TaxRuleInput): Promise<TaxRule> {
  const rule = await api.post<TaxRule>("/tax-rules", input);
  await revalidate("billing.taxRules");
  return rule;
}

export async function updateTaxRule(id: string, input: TaxRuleUpdateInput): Promise<TaxRule> {
  const rule = await api.put<TaxRule>(`/tax-rules/${encodeURIComponent(id)}`, input);
  await revalidate("billing.taxRules");
  return rule;
}

export async function deleteTaxRule(id: string): Promise<void> {
  await api.delete<void>(`/tax-rules/${encodeURIComponent(id)}`);
  await revalidate("billing.taxRules");
}

export const getBillingRuns = query(async () => (await api.get<{ items: BillingRun[] }>("/billing/runs")).items, "billing.runs");

export async function startBillingRun(): Promise<BillingRun> {
  const run = await api.post<BillingRun>("/billing/runs", {});
  await revalidate("billing.runs");
  return run;
}
