/** Billing Configurations: Currency Settings, tax rules and billing runs. */
import { query, revalidate } from "@solidjs/router";
import type { BillingRun, BillingSettings, TaxRule, TaxRuleInput, TaxRuleUpdateInput, UpdateBillingSettingsInput } from "../../worker/contract/billing";
import type { z } from "zod";
import type { BillingDetailsInput, InvoiceDetailsInput } from "../../worker/contract/invoice-details";
import { client, enc, unwrap } from "./client";

export const getBillingSettings = query(() => unwrap(client.api.billing.settings.$get()), "billing.settings");

export async function saveBillingSettings(input: UpdateBillingSettingsInput): Promise<BillingSettings> {
  const saved = await unwrap(client.api.billing.settings.$put({ json: input }));
  await revalidate("billing.settings");
  return saved;
}

export const getTaxRules = query(async () => (await unwrap(client.api["tax-rules"].$get())).items, "billing.taxRules");

export async function createTaxRule(input: TaxRuleInput): Promise<TaxRule> {
  const rule = await unwrap(client.api["tax-rules"].$post({ json: input }));
  await revalidate("billing.taxRules");
  return rule;
}

export async function updateTaxRule(id: string, input: TaxRuleUpdateInput): Promise<TaxRule> {
  const rule = await unwrap(client.api["tax-rules"][":id"].$put({ param: { id: enc(id) }, json: input }));
  await revalidate("billing.taxRules");
  return rule;
}

export async function deleteTaxRule(id: string): Promise<void> {
  await unwrap(client.api["tax-rules"][":id"].$delete({ param: { id: enc(id) } }));
  await revalidate("billing.taxRules");
}

export const getBillingRuns = query(async () => (await unwrap(client.api.billing.runs.$get())).items, "billing.runs");

export async function startBillingRun(): Promise<BillingRun> {
  const run = await unwrap(client.api.billing.runs.$post({ json: {} }));
  await revalidate("billing.runs");
  return run;
}

/** Invoice Details: the operator as the seller on every invoice. */
export const getInvoiceDetails = query(() => unwrap(client.api.billing["invoice-details"].$get()), "billing.invoiceDetails");

export async function saveInvoiceDetails(input: z.input<typeof InvoiceDetailsInput>): Promise<void> {
  await unwrap(client.api.billing["invoice-details"].$put({ json: input }));
  await revalidate("billing.invoiceDetails");
}

/** An organization's Billing Details: postal address, VAT / tax number, tax exemption. */
export const getBillingDetails = query(
  (orgId: string) => unwrap(client.api.organizations[":id"]["billing-details"].$get({ param: { id: enc(orgId) } })),
  "orgs.billingDetails",
);

export async function saveBillingDetails(orgId: string, input: z.input<typeof BillingDetailsInput>): Promise<void> {
  await unwrap(client.api.organizations[":id"]["billing-details"].$put({ param: { id: enc(orgId) }, json: input }));
  await revalidate("orgs.billingDetails");
}
