/** Invoices: list (filters in the URL), detail, manual creation, Cancel / Adjust Offline / Resend, exports. */
import { action, json, query, type SearchParams } from "@solidjs/router";
import type { AdjustOfflineInput, InvoiceDetail, InvoiceStatus, ManualInvoiceInput } from "../../worker/contract/billing";
import { client, enc, href, unwrap, type Success } from "./client";
import { dateParam, enumParam, pageParam, stringParam } from "./params";

export const INVOICE_PAGE_SIZE = 25;
const STATUSES = ["unpaid", "paid", "cancelled"] as const;

export type InvoiceListParams = ReturnType<typeof invoiceListParams>;

export function invoiceListParams(search: SearchParams) {
  return {
    q: stringParam(search.q),
    orgId: stringParam(search.orgId),
    status: enumParam<InvoiceStatus>(search.status, STATUSES),
    from: dateParam(search.from),
    to: dateParam(search.to),
    page: pageParam(search.page),
    pageSize: INVOICE_PAGE_SIZE,
  };
}

const invoices = client.api.invoices;

export const getInvoices = query((p: InvoiceListParams) => unwrap(invoices.$get({ query: p })), "invoices.list");
export const getInvoice = query((id: string) => unwrap(invoices[":id"].$get({ param: { id: enc(id) } })), "invoices.detail");

/** Select Contract: one of the organization's contracts, typed from the route's response schema. */
export type ContractOption = Success<Awaited<ReturnType<(typeof invoices)["contract-options"]["$get"]>>>["items"][number];

export async function getContractOptions(orgId: string): Promise<ContractOption[]> {
  return (await unwrap(invoices["contract-options"].$get({ query: { orgId } }))).items;
}

export const createInvoice = action(async (input: ManualInvoiceInput) => {
  const inv: InvoiceDetail = await unwrap(invoices.$post({ json: input }));
  return json(inv, { revalidate: ["invoices."] });
}, "createInvoice");

export const cancelInvoice = action(async (id: string) => {
  const inv: InvoiceDetail = await unwrap(invoices[":id"].cancel.$post({ param: { id: enc(id) } }));
  return json(inv, { revalidate: ["invoices."] });
}, "cancelInvoice");

export const adjustOffline = action(async (id: string, input: AdjustOfflineInput) => {
  const inv: InvoiceDetail = await unwrap(invoices[":id"]["offline-payment"].$post({ param: { id: enc(id) }, json: input }));
  return json(inv, { revalidate: ["invoices."] });
}, "adjustOffline");

export async function resendInvoice(id: string): Promise<{ sentTo: string }> {
  return unwrap(invoices[":id"].resend.$post({ param: { id: enc(id) } }));
}

/** Download links (plain GETs: the browser saves the file, with the session cookie). */
export function invoicesCsvUrl(p: Omit<InvoiceListParams, "page" | "pageSize">): string {
  return href(invoices["export.csv"].$url({ query: p }));
}

export const invoicePdfUrl = (id: string) => href(invoices[":id"].pdf.$url({ param: { id: enc(id) } }));
/** The credit note of a cancelled invoice, as a PDF. */
export const creditNotePdfUrl = (id: string) => href(invoices[":id"]["credit-note"].pdf.$url({ param: { id: enc(id) } }));

/** Invoices » More » Capture Payment: what would be charged (wallet first, then the default card) … */
export const getCapturePreview = (id: string) => unwrap(invoices[":id"]["capture-payment"].$get({ param: { id: enc(id) } }));

/** … and the charge, for exactly the amount that was confirmed (a changed amount is refused with CONFLICT). */
export const capturePayment = action(async (id: string, expectedAmountMinor: number) => {
  const result = await unwrap(invoices[":id"]["capture-payment"].$post({ param: { id: enc(id) }, json: { expectedAmountMinor } }));
  return json(result, { revalidate: ["invoices.", "dunning."] });
}, "capturePayment");

/** My Invoices » Pay now: the caller's own invoice with the card on file (wallet first). */
export const payInvoice = action(async (id: string, expectedAmountMinor: number) => {
  const result = await unwrap(invoices[":id"].pay.$post({ param: { id: enc(id) }, json: { expectedAmountMinor } }));
  return json(result, { revalidate: ["invoices.", "dunning."] });
}, "payInvoice");

/** Complete authentication (Payment Info » Confirm your payment): continue the invoice's card payment that waits for 3-D Secure. */
export const startAuthentication = (id: string) => unwrap(invoices[":id"].pay.authentication.$post({ param: { id: enc(id) } }));
/** After Stripe.js: the server reads the payment back from the gateway (never the browser's word). */
export const completeAuthentication = (id: string) => unwrap(invoices[":id"].pay.authentication.complete.$post({ param: { id: enc(id) } }));

/** Pay now with a new card (Payment Info » ?pay=invoice): the wallet first, then a payment for Stripe.js to confirm. */
export const startNewCardPayment = (id: string, expectedAmountMinor: number, saveCard: boolean) =>
  unwrap(invoices[":id"].pay["new-card"].$post({ param: { id: enc(id) }, json: { expectedAmountMinor, saveCard } }));
/** After Stripe.js: the server reads the payment back from the gateway (never the browser's word). */
export const completeNewCardPayment = (id: string, paymentId: string) =>
  unwrap(invoices[":id"].pay["new-card"].complete.$post({ param: { id: enc(id) }, json: { paymentId } }));
