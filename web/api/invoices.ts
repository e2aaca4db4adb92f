/** Invoices: list (filters in the URL), detail, manual creation, Cancel / Adjust Offline / Resend, exports. */
import { query, revalidate, type SearchParams } from "@solidjs/router";
import type { AdjustOfflineInput, InvoiceDetail, InvoiceStatus, InvoiceSummary, ManualInvoiceInput } from "../../worker/contract/billing";
import type { Page } from "../../worker/contract/dto";
import { api } from "./client";
import { dateParam, pageParam, stringParam } from "./params";

export const INVOICE_PAGE_SIZE = 25;
const STATUSES = ["unpaid", "paid", "cancelled"] as const;

export interface InvoiceListParams {
  q?: string;
  orgId?: string;
  status?: InvoiceStatus;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export function invoiceListParams(search: SearchParams): InvoiceListParams {
  const status = stringParam(search.status);
  return {
    q: stringParam(search.q),
    orgId: stringParam(search.orgId),
    status: STATUSES.find((s) => s === status),
    from: dateParam(search.from),
    to: dateParam(search.to),
    page: pageParam(search.page),
    pageSize: INVOICE_PAGE_SIZE,
  };
}

export const getInvoices = query((p: InvoiceListParams) => api.get<Page<InvoiceSummary>>("/invoices", { ...p }), "invoices.list");
export const getInvoice = query((id: string) => api.get<InvoiceDetail>(`/invoices/${encodeURIComponent(id)}`), "invoices.detail");

export interface ContractOption {
  id: string;
  planName: string;
  startDate: string;
  expiryDate: string | null;
  status: string;
  products: Array<{ id: string; name: string; unit: string; unitPrice: string; taxable: boolean; model: string }>;
}

export async function getContractOptions(orgId: string): Promise<ContractOption[]> {
  return (await api.get<{ items: ContractOption[] }>("/invoices/contract-options", { orgId })).items;
}

export async function createInvoice(input: ManualInvoiceInput): Promise<InvoiceDetail> {
  const inv = await api.post<InvoiceDetail>("/invoices", input);
  await revalidate("invoices.");
  return inv;
}

export async function cancelInvoice(id: string): Promise<InvoiceDetail> {
  const inv = await api.post<InvoiceDetail>(`/invoices/${encodeURIComponent(id)}/cancel`, {});
  await revalidate("invoices.");
  return inv;
}

export async function adjustOffline(id: string, input: AdjustOfflineInput): Promise<InvoiceDetail> {
  const inv = await api.post<InvoiceDetail>(`/invoices/${encodeURIComponent(id)}/offline-payment`, input);
  await revalidate("invoices.");
  return inv;
}

export async function resendInvoice(id: string): Promise<{ sentTo: string }> {
  return api.post<{ sentTo: string }>(`/invoices/${encodeURIComponent(id)}/resend`, {});
}

/** Download links (plain GETs: the browser saves the file, with the session cookie). */
export function invoicesCsvUrl(p: Omit<InvoiceListParams, "page" | "pageSize">): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v) search.set(k, String(v));
  const qs = search.toString();
  return `/api/invoices/export.csv${qs ? `?${qs}` : ""}`;
}

export const invoicePdfUrl = (id: string) => `/api/invoices/${encodeURIComponent(id)}/pdf`;
/** The credit note of a cancelled invoice, as a PDF. */
export const creditNotePdfUrl = (id: string) => `/api/invoices/${encodeURIComponent(id)}/credit-note/pdf`;
