import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { PayInvoiceInput } from "../contract/card-status";
import { AdjustOfflineInput, InvoiceDetailSchema, InvoiceFilterSchema, InvoiceSummarySchema, ListInvoicesInput, ManualInvoiceInput } from "../contract/billing";
import { pageSchema } from "../contract/dto";
import type { AppEnv } from "../env";
import { adjustOffline } from "../domain/invoices/adjust-offline";
import { cancelInvoice } from "../domain/invoices/cancel";
import { contractOptions } from "../domain/invoices/contract-options";
import { createManualInvoice } from "../domain/invoices/create-manual";
import { exportInvoicesCsv } from "../domain/invoices/csv";
import { getInvoice, listInvoices } from "../domain/invoices/read";
import { resendInvoice } from "../domain/invoices/resend";
import { payInvoice } from "../domain/self-pay/pay-invoice";
import { csvDownload, csvResponse } from "./csv";
import { ErrorBodySchema, commonErrors, json, routeGroup } from "./define";
import { userCtx } from "../domain/context";

const route = routeGroup({ tags: ["Invoices"] });

const IdParam = z.object({ id: z.string().min(1).max(64) });
const READ = { audience: "tenant", privilege: "billing.read" } as const;
const WRITE = { audience: "operator", privilege: "billing.write" } as const;

const list = route.get("/api/invoices", {
  policy: READ,
  summary: "Invoices visible to the caller (customers and resellers: their own), filtered and paginated", request: { query: ListInvoicesInput },
  responses: { 200: json(pageSchema(InvoiceSummarySchema), "A page of invoices") },
});
const csv = route.get("/api/invoices/export.csv", {
  policy: READ,
  summary: "Export CSV: every invoice matching the filter (streamed)", request: { query: InvoiceFilterSchema },
  responses: { 200: csvResponse("RFC 4180 CSV") },
});
const get = route.get("/api/invoices/{id}", {
  policy: READ,
  summary: "One invoice: lines with consumption details, tax breakdown, payment history", request: { params: IdParam },
  responses: { 200: json(InvoiceDetailSchema, "The invoice") },
});
const pdf = route.get("/api/invoices/{id}/pdf", {
  policy: READ,
  summary: "Export Invoice: the invoice as a PDF", request: { params: IdParam },
  responses: { 200: { content: { "application/pdf": { schema: z.string() } }, description: "The PDF" } },
});
const creditNotePdf = route.get("/api/invoices/{id}/credit-note/pdf", {
  policy: READ,
  summary: "The credit note issued when the invoice was cancelled, as a PDF", request: { params: IdParam },
  responses: { 200: { content: { "application/pdf": { schema: z.string() } }, description: "The PDF" } },
});
const create = route.post("/api/invoices", {
  policy: WRITE,
  summary: "Create a manual invoice (issued at once; Paid records an offline payment)", body: ManualInvoiceInput,
  responses: {
    201: json(InvoiceDetailSchema, "The issued invoice"),
    409: json(ErrorBodySchema, "CONFIRMATION_REQUIRED: an issue date far from today or a zero total; fields say why; resend with confirmIssueDate / confirmZeroTotal"),
  },
});
const cancel = route.post("/api/invoices/{id}/cancel", {
  policy: WRITE,
  summary: "Cancel Invoice (unpaid only; the ledger reverses what was due)", request: { params: IdParam },
  responses: { 200: json(InvoiceDetailSchema, "The cancelled invoice"), 409: commonErrors[400] },
});
const offline = route.post("/api/invoices/{id}/offline-payment", {
  policy: WRITE,
  summary: "Adjust Offline: mark as paid with an offline payment", request: { params: IdParam }, body: AdjustOfflineInput,
  responses: { 200: json(InvoiceDetailSchema, "The paid invoice"), 409: commonErrors[400] },
});
const resend = route.post("/api/invoices/{id}/resend", {
  policy: WRITE,
  summary: "Resend Invoice to the organization's primary contact, PDF attached", request: { params: IdParam },
  responses: { 202: json(z.object({ sentTo: z.string() }), "Queued for delivery"), 409: commonErrors[400] },
});
const contractsOf = route.get("/api/invoices/contract-options", {
  policy: WRITE,
  summary: "Select Contract: an organization's contracts and their plan's products (for a manual invoice)",
  request: { query: z.object({ orgId: z.string().min(1).max(64) }) },
  responses: {
    200: json(z.object({ items: z.array(z.object({ id: z.string(), planName: z.string(), startDate: z.string(), expiryDate: z.string().nullable(), status: z.string(),
      products: z.array(z.object({ id: z.string(), name: z.string(), unit: z.string(), unitPrice: z.string(), taxable: z.boolean(), model: z.string() })) })) }), "Contracts"),
  },
});

const pay = route.post("/api/invoices/{id}/pay", {
  policy: { audience: "own" },
  summary: "Pay now: the caller's own unpaid invoice with the card on file (wallet first); declines and 3-D Secure are answered in the result",
  request: { params: IdParam }, body: PayInvoiceInput,
  responses: {
    200: json(z.object({ status: z.enum(["paid", "requires_action", "declined"]), paymentId: z.string().nullable(), walletMinor: z.number().int(), cardMinor: z.number().int(),
      declineCode: z.string().optional(), message: z.string().optional(), invoiceStatus: z.string(), amountPaidMinor: z.number().int() }), "What happened"),
    402: commonErrors[400], 409: commonErrors[400],
  },
});

export const invoiceRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json(await listInvoices({ ctx: userCtx(c), input: c.req.valid("query") }), 200))
  .openapi(csv, async (c) => csvDownload(c, exportInvoicesCsv({ ctx: userCtx(c), filter: c.req.valid("query") }), "invoices"))
  .openapi(contractsOf, async (c) => c.json({ items: await contractOptions({ ctx: userCtx(c), orgId: c.req.valid("query").orgId }) }, 200))
  .openapi(get, async (c) => c.json(await getInvoice({ ctx: userCtx(c), id: c.req.valid("param").id }), 200))
  .openapi(pdf, async (c) => {
    // The PDF writer loads on first use, not at Worker start-up.
    const { exportInvoicePdf } = await import("../domain/invoices/pdf");
    const { filename, bytes } = await exportInvoicePdf({ ctx: userCtx(c), id: c.req.valid("param").id });
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/pdf", "content-disposition": `attachment; filename="${filename}"` });
  })
  .openapi(creditNotePdf, async (c) => {
    const { exportCreditNotePdf } = await import("../domain/invoices/pdf");
    const { filename, bytes } = await exportCreditNotePdf({ ctx: userCtx(c), invoiceId: c.req.valid("param").id });
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/pdf", "content-disposition": `attachment; filename="${filename}"` });
  })
  .openapi(create, async (c) => c.json(await createManualInvoice({ ctx: userCtx(c), input: c.req.valid("json") }), 201))
  .openapi(cancel, async (c) => c.json(await cancelInvoice({ ctx: userCtx(c), id: c.req.valid("param").id }), 200))
  .openapi(offline, async (c) => c.json(await adjustOffline({ ctx: userCtx(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200))
  .openapi(resend, async (c) => c.json(await resendInvoice({ ctx: userCtx(c), id: c.req.valid("param").id }), 202))
  .openapi(pay, async (c) => c.json(await payInvoice({ ctx: userCtx(c), invoiceId: c.req.valid("param").id, input: c.req.valid("json") }), 200));
