/** Pay by redirect (ADR 016b): the ways to pay, Pay now on the gateway's page, and the return from it. */
import { action, json, query } from "@solidjs/router";
import type { HostedReturnInput } from "../../worker/contract/hosted-pay";
import { client, enc, unwrap } from "./client";

const payments = client.api.payments;

/** Which ways to pay the active gateways offer; null when the caller has no organization of its own to pay for. */
export const getPaymentOptions = query(async () => {
  try {
    return await unwrap(payments.options.$get());
  } catch {
    return null;
  }
}, "payments.options");

/** Starts (or finds again) the invoice's payment on the gateway's page, for exactly the amount the person confirmed. */
export const startRedirectPayment = action(async (invoiceId: string, expectedAmountMinor: number) => {
  const result = await unwrap(payments.redirect.invoices[":id"].$post({ param: { id: enc(invoiceId) }, json: { expectedAmountMinor } }));
  return json(result, { revalidate: result.status === "paid" ? ["invoices.", "dunning."] : [] });
}, "startRedirectPayment");

/** The signed return from the gateway's page: the server asks the gateway and says what happened. */
export const confirmRedirectReturn = action(async (input: HostedReturnInput) => {
  const result = await unwrap(payments.redirect.return.$post({ json: input }));
  return json(result, { revalidate: ["invoices.", "dunning."] });
}, "confirmRedirectReturn");
