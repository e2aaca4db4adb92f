/** Billing Configurations: Currency Settings, tax rules and billing runs. */
import { action, json, query } from "@solidjs/router";
import type { TaxRuleUpdateInput, UpdateBillingSettingsInput } from "../../worker/contract/billing";
import type { z } from "zod";
import type { BillingDetailsInput, InvoiceDetailsInput } from "../../worker/contract/invoice-details";
import { client, enc, unwrap } from "./client";

export const getBillingSettings = query(() => unwrap(client.api.billing.settings.$get()), "billing.settings");

export const saveBillingSettings = action(async (input: UpdateBillingSettingsInput) => {
  const saved = await unwrap(client.api.billing.settings.$put({ json: input }));
  return json(saved, { revalidate: "billing.settings" });
}, "saveBillingSettings");

export const getTaxRules = query(async () => (await unwrap(client.api["tax-rules"].$get())).items, "billing.taxRules");

/** Create Tax Rule (no id) or Edit Tax Rule. */
export const saveTaxRule = action(async (id: string | null, input: TaxRuleUpdateInput) => {
  const rule = id
    ? await unwrap(client.api["tax-rules"][":id"].$put({ param: { id: enc(id) }, json: input }))
    : await unwrap(client.api["tax-rules"].$post({ json: input }));
  return json(rule, { revalidate: "billing.taxRules" });
}, "saveTaxRule");

export const deleteTaxRule = action(async (id: string) => {
  await unwrap(client.api["tax-rules"][":id"].$delete({ param: { id: enc(id) } }));
  return json(true, { revalidate: "billing.taxRules" });
}, "deleteTaxRule");

export const getBillingRuns = query(async () => (await unwrap(client.api.billing.runs.$get())).items, "billing.runs");

export const startBillingRun = action(async () => {
  const run = await unwrap(client.api.billing.runs.$post({ json: {} }));
  return json(run, { revalidate: "billing.runs" });
}, "startBillingRun");

/** Invoice Details: the operator as the seller on every invoice. */
export const getInvoiceDetails = query(() => unwrap(client.api.billing["invoice-details"].$get()), "billing.invoiceDetails");

export const saveInvoiceDetails = action(async (input: z.input<typeof InvoiceDetailsInput>) => {
  const saved = await unwrap(client.api.billing["invoice-details"].$put({ json: input }));
  return json(saved, { revalidate: "billing.invoiceDetails" });
}, "saveInvoiceDetails");

/** An organization's Billing Details: postal address, VAT / tax number, tax exemption. */
export const getBillingDetails = query(
  (orgId: string) => unwrap(client.api.organizations[":id"]["billing-details"].$get({ param: { id: enc(orgId) } })),
  "orgs.billingDetails",
);

export const saveBillingDetails = action(async (orgId: string, input: z.input<typeof BillingDetailsInput>) => {
  const saved = await unwrap(client.api.organizations[":id"]["billing-details"].$put({ param: { id: enc(orgId) }, json: input }));
  return json(saved, { revalidate: "orgs.billingDetails" });
}, "saveBillingDetails");
