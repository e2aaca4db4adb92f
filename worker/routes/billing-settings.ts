import { OpenAPIHono } from "@hono/zod-openapi";
import { BillingSettingsSchema, UpdateBillingSettingsInput } from "../contract/billing";
import { InvoiceDetailsInput, InvoiceDetailsSchema } from "../contract/invoice-details";
import { getInvoiceDetails, updateInvoiceDetails } from "../domain/invoices/invoice-details";
import type { AppEnv } from "../env";
import { getBillingSettings } from "../domain/billing/settings";
import { updateBillingSettings } from "../domain/billing/update-settings";
import { commonErrors, json, routeGroup } from "./define";
import { userCtx } from "../domain/context";

const route = routeGroup({ tags: ["Billing"] });

const get = route.get("/api/billing/settings", {
  policy: { audience: "operator", privilege: "billing.read" },
  summary: "Currency Settings: currency, Billing Precision, payment terms, invoice prefix, and whether they are locked",
  responses: { 200: json(BillingSettingsSchema, "The billing settings") },
});

const put = route.put("/api/billing/settings", {
  policy: { audience: "operator", privilege: "billing.write" },
  summary: "Save Currency Settings (currency and precision refused with CURRENCY_LOCKED once an invoice exists)",
  body: UpdateBillingSettingsInput,
  responses: { 200: json(BillingSettingsSchema, "The saved settings"), 409: commonErrors[400] },
});

const getDetails = route.get("/api/billing/invoice-details", {
  policy: { audience: "operator", privilege: "billing.read" },
  summary: "Invoice Details: the seller printed on invoices (legal name, address, VAT and registration numbers, bank details, footer)",
  responses: { 200: json(InvoiceDetailsSchema, "The invoice details") },
});

const putDetails = route.put("/api/billing/invoice-details", {
  policy: { audience: "operator", privilege: "billing.write" },
  summary: "Save Invoice Details (applies to invoices issued from now on)",
  body: InvoiceDetailsInput,
  responses: { 200: json(InvoiceDetailsSchema, "The saved invoice details") },
});

export const billingSettingsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(get, async (c) => c.json(await getBillingSettings({ ctx: userCtx(c) }), 200))
  .openapi(put, async (c) => c.json(await updateBillingSettings({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(getDetails, async (c) => c.json(await getInvoiceDetails({ ctx: userCtx(c) }), 200))
  .openapi(putDetails, async (c) => c.json(await updateInvoiceDetails({ ctx: userCtx(c), input: c.req.valid("json") }), 200));
