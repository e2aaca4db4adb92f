import { OpenAPIHono } from "@hono/zod-openapi";
import { BillingSettingsSchema, UpdateBillingSettingsInput } from "../contract/billing";
import { InvoiceDetailsInput, InvoiceDetailsSchema } from "../contract/invoice-details";
import { getInvoiceDetails, updateInvoiceDetails } from "../domain/invoices/invoice-details";
import type { AppEnv } from "../env";
import { getBillingSettings } from "../domain/billing/settings";
import { updateBillingSettings } from "../domain/billing/update-settings";
import { commonErrors, defineRoute, json, jsonBody } from "./define";
import { userCtx } from "../domain/context";

const get = defineRoute({
  method: "get",
  path: "/api/billing/settings",
  policy: { audience: "operator", privilege: "billing.read" },
  tags: ["Billing"],
  summary: "Currency Settings: currency, Billing Precision, payment terms, invoice prefix, and whether they are locked",
  responses: { 200: json(BillingSettingsSchema, "The billing settings"), ...commonErrors },
});

const put = defineRoute({
  method: "put",
  path: "/api/billing/settings",
  policy: { audience: "operator", privilege: "billing.write" },
  tags: ["Billing"],
  summary: "Save Currency Settings (currency and precision refused with CURRENCY_LOCKED once an invoice exists)",
  request: { body: jsonBody(UpdateBillingSettingsInput) },
  responses: { 200: json(BillingSettingsSchema, "The saved settings"), 409: commonErrors[400], ...commonErrors },
});

const getDetails = defineRoute({
  method: "get",
  path: "/api/billing/invoice-details",
  policy: { audience: "operator", privilege: "billing.read" },
  tags: ["Billing"],
  summary: "Invoice Details: the seller printed on invoices (legal name, address, VAT and registration numbers, bank details, footer)",
  responses: { 200: json(InvoiceDetailsSchema, "The invoice details"), ...commonErrors },
});

const putDetails = defineRoute({
  method: "put",
  path: "/api/billing/invoice-details",
  policy: { audience: "operator", privilege: "billing.write" },
  tags: ["Billing"],
  summary: "Save Invoice Details (applies to invoices issued from now on)",
  request: { body: jsonBody(InvoiceDetailsInput) },
  responses: { 200: json(InvoiceDetailsSchema, "The saved invoice details"), ...commonErrors },
});

export const billingSettingsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(get, async (c) => c.json(await getBillingSettings({ ctx: userCtx(c) }), 200))
  .openapi(put, async (c) => c.json(await updateBillingSettings({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(getDetails, async (c) => c.json(await getInvoiceDetails({ ctx: userCtx(c) }), 200))
  .openapi(putDetails, async (c) => c.json(await updateInvoiceDetails({ ctx: userCtx(c), input: c.req.valid("json") }), 200));
