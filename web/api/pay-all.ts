/** My Invoices » Pay all: the confirmation (each unpaid invoice's share) and the one payment. */
import { action, json, query } from "@solidjs/router";
import { client, unwrap } from "./client";

const payAllApi = client.api.invoices["pay-all"];

/** What Pay all would pay now; null when there is nothing to pay (or the caller has no organization of its own). */
export const getPayAllPreview = query(async () => {
  try {
    return await unwrap(payAllApi.$get());
  } catch {
    return null;
  }
}, "invoices.payAll");

/** The payment, for exactly the total the person confirmed (a changed total is refused with CONFLICT). */
export const payAllInvoices = action(async (expectedTotalMinor: number) => {
  const result = await unwrap(payAllApi.$post({ json: { expectedTotalMinor } }));
  return json(result, { revalidate: ["invoices.", "dunning."] });
}, "payAllInvoices");
