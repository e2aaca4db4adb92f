/**
 * Pay by redirect (docs/decisions/016b-adpay-protocol.md, "Paying an invoice"): a gateway whose capability is
 * `hostedPage` (ADPAY) takes the payment on its own page; the portal sends the payer there and reads the result
 * back from the server when they return.
 */
import { z } from "zod";

/** Which ways to pay the platform's active gateways offer (capabilities, never names). */
export const PaymentOptions = z.object({ cardOnFile: z.boolean(), hostedPage: z.boolean() });
export type PaymentOptions = z.infer<typeof PaymentOptions>;

/** "Pay now" on the hosted page: the amount the person saw, refused if the amount due changed since. */
export const StartHostedPaymentInput = z.object({ expectedAmountMinor: z.number().int().positive() }).strict();
export type StartHostedPaymentInput = z.infer<typeof StartHostedPaymentInput>;

export const HostedPaymentStart = z.object({
  /** redirect: go to `url`; paid: the wallet covered everything, nothing to pay on the gateway's page. */
  status: z.enum(["redirect", "paid"]),
  url: z.string().optional(),
  walletMinor: z.number().int(),
  amountMinor: z.number().int(),
});
export type HostedPaymentStart = z.infer<typeof HostedPaymentStart>;

/** The signed query of the gateway's return redirect, as the browser received it. */
export const HostedReturnInput = z.object({
  payment_id: z.string().min(1).max(100),
  order_ref: z.string().min(1).max(100),
  status: z.string().min(1).max(20),
  amount: z.string().min(1).max(20),
  currency: z.string().min(1).max(3),
  ts: z.string().min(1).max(20),
  signature: z.string().min(1).max(200),
}).strict();
export type HostedReturnInput = z.infer<typeof HostedReturnInput>;

export const HostedPaymentResult = z.object({
  /** What the gateway says now (asked by the server): paid, failed (reason in `message`), or still pending. */
  status: z.enum(["paid", "failed", "pending"]),
  message: z.string(),
  invoiceId: z.string(),
  invoiceStatus: z.string(),
  amountPaidMinor: z.number().int(),
});
export type HostedPaymentResult = z.infer<typeof HostedPaymentResult>;
