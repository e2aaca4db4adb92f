/**
 * Pay by redirect (docs/decisions/016b-adpay-protocol.md, "Paying an invoice"): the ways to pay, Pay now on the
 * gateway's page, the return from it, and the gateway's signed callback. Under /api/payments/ so a suspended
 * organization can still pay (ADR 018).
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { HostedPaymentResult, HostedPaymentStart, HostedReturnInput, PaymentOptions, StartHostedPaymentInput } from "../contract/hosted-pay";
import type { AppEnv } from "../env";
import { requestCtx, userCtx } from "../domain/context";
import { paymentOptions } from "../domain/hosted-pay/gateway";
import { confirmHostedReturn } from "../domain/hosted-pay/confirm-return";
import { receiveAdpayCallback } from "../domain/hosted-pay/receive-callback";
import { startHostedPayment } from "../domain/hosted-pay/start";
import { commonErrors, json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Payments"] });

const OWN = { audience: "own" } as const;

const options = route.get("/api/payments/options", {
  policy: OWN,
  summary: "How invoices can be paid here: with the card on file, or on the gateway's own page (from the active gateways' capabilities)",
  responses: { 200: json(PaymentOptions, "The ways to pay") },
});
const start = route.post("/api/payments/redirect/invoices/{id}", {
  policy: OWN,
  summary: "Pay now on the gateway's page: the wallet pays first, then the rest is a payment on the hosted page (same page again on a retry)",
  request: { params: z.object({ id: z.string().min(1).max(64) }) }, body: StartHostedPaymentInput,
  responses: { 200: json(HostedPaymentStart, "Where to send the payer (or paid by the wallet)"), 409: commonErrors[400] },
});
const back = route.post("/api/payments/redirect/return", {
  policy: OWN,
  summary: "The payer is back: the signed return is checked and the payment's outcome asked of the gateway",
  body: HostedReturnInput,
  responses: { 200: json(HostedPaymentResult, "What the gateway says now") },
});
const callback = route.post("/api/webhooks/adpay", {
  policy: { audience: "public" },
  summary: "ADPAY callback: Adpay-Signature verified on the raw body, the payment's outcome asked of ADPAY and applied once",
  responses: { 200: json(z.object({ received: z.literal(true), applied: z.boolean() }), "Received") },
});

export const payByRedirectRoutes = new OpenAPIHono<AppEnv>()
  .openapi(options, async (c) => c.json(await paymentOptions(userCtx(c)), 200))
  .openapi(start, async (c) => c.json(await startHostedPayment({ ctx: userCtx(c), invoiceId: c.req.valid("param").id, input: c.req.valid("json") }), 200))
  .openapi(back, async (c) => c.json(await confirmHostedReturn({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(callback, async (c) => {
    const result = await receiveAdpayCallback({ ctx: requestCtx(c), rawBody: await c.req.text(), signature: c.req.header("adpay-signature") ?? null });
    return c.json({ received: true as const, applied: result.applied }, 200);
  });
