/**
 * The customer completes a card payment that waits for 3-D Secure, on the same PaymentIntent
 * (worker/domain/self-pay/authenticate.ts, docs/decisions/019-collection.md). Own organization's invoices only.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../env";
import { userCtx } from "../domain/context";
import { completeAuthentication, startAuthentication } from "../domain/self-pay/authenticate";
import { completeNewCardPayment, startNewCardPayment } from "../domain/self-pay/pay-new-card";
import { commonErrors, json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Invoices"] });

const IdParam = z.object({ id: z.string().min(1).max(64) });
const OWN = { audience: "own" } as const;
const Step = z.object({
  status: z.enum(["paid", "requires_action", "processing", "declined", "closed"]),
  clientSecret: z.string().optional(), message: z.string().optional(), invoiceStatus: z.string(), amountPaidMinor: z.number().int(),
});

const start = route.post("/api/invoices/{id}/pay/authentication", {
  policy: OWN,
  summary: "Complete authentication: continue the invoice's card payment that waits for 3-D Secure (client secret for Stripe.js handleNextAction)",
  request: { params: IdParam },
  responses: { 200: json(Step, "The payment's state; requires_action carries the client secret"), 409: commonErrors[400] },
});
const complete = route.post("/api/invoices/{id}/pay/authentication/complete", {
  policy: OWN,
  summary: "After Stripe.js: the payment is read back from the gateway; paid, or failed/abandoned (cancelled, the invoice free for a new attempt)",
  request: { params: IdParam },
  responses: { 200: json(Step, "What happened"), 409: commonErrors[400] },
});

/** Pay now with a new card (worker/domain/self-pay/pay-new-card.ts): the amount the person confirmed, and whether to keep the card. */
const NewCardInput = z.object({ expectedAmountMinor: z.number().int().positive(), saveCard: z.boolean() }).strict();
const newCard = route.post("/api/invoices/{id}/pay/new-card", {
  policy: OWN,
  summary: "Pay now with a new card: the wallet pays first, then an on-session payment for the rest whose client secret Stripe.js confirms with its card fields",
  request: { params: IdParam }, body: NewCardInput,
  responses: {
    200: json(z.object({ status: z.enum(["paid", "confirm"]), paymentId: z.string().nullable(), clientSecret: z.string().optional(), walletMinor: z.number().int(), cardMinor: z.number().int() }), "Paid by the wallet, or the payment for Stripe.js to confirm"),
    409: commonErrors[400],
  },
});
const newCardComplete = route.post("/api/invoices/{id}/pay/new-card/complete", {
  policy: OWN,
  summary: "After Stripe.js: the new card payment is read back from the gateway; paid, or declined / not completed (cancelled, nothing charged)",
  request: { params: IdParam }, body: z.object({ paymentId: z.string().min(1).max(64) }).strict(),
  responses: { 200: json(Step, "What happened"), 409: commonErrors[400] },
});

export const selfPayRoutes = new OpenAPIHono<AppEnv>()
  .openapi(start, async (c) => c.json(await startAuthentication({ ctx: userCtx(c), invoiceId: c.req.valid("param").id }), 200))
  .openapi(complete, async (c) => c.json(await completeAuthentication({ ctx: userCtx(c), invoiceId: c.req.valid("param").id }), 200))
  .openapi(newCard, async (c) => c.json(await startNewCardPayment({ ctx: userCtx(c), invoiceId: c.req.valid("param").id, input: c.req.valid("json") }), 200))
  .openapi(newCardComplete, async (c) => c.json(await completeNewCardPayment({ ctx: userCtx(c), invoiceId: c.req.valid("param").id, paymentId: c.req.valid("json").paymentId }), 200));
