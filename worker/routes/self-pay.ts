/**
 * The customer completes a card payment that waits for 3-D Secure, on the same PaymentIntent
 * (worker/domain/self-pay/authenticate.ts, docs/decisions/019-collection.md). Own organization's invoices only.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../env";
import { userCtx } from "../domain/context";
import { completeAuthentication, startAuthentication } from "../domain/self-pay/authenticate";
import { commonErrors, defineRoute, json } from "./define";

const IdParam = z.object({ id: z.string().min(1).max(64) });
const OWN = { audience: "own" } as const;
const Step = z.object({
  status: z.enum(["paid", "requires_action", "processing", "declined", "closed"]),
  clientSecret: z.string().optional(), message: z.string().optional(), invoiceStatus: z.string(), amountPaidMinor: z.number().int(),
});

const start = defineRoute({
  method: "post", path: "/api/invoices/{id}/pay/authentication", policy: OWN, tags: ["Invoices"],
  summary: "Complete authentication: continue the invoice's card payment that waits for 3-D Secure (client secret for Stripe.js handleNextAction)",
  request: { params: IdParam },
  responses: { 200: json(Step, "The payment's state; requires_action carries the client secret"), 409: commonErrors[400], ...commonErrors },
});
const complete = defineRoute({
  method: "post", path: "/api/invoices/{id}/pay/authentication/complete", policy: OWN, tags: ["Invoices"],
  summary: "After Stripe.js: the payment is read back from the gateway; paid, or failed/abandoned (cancelled, the invoice free for a new attempt)",
  request: { params: IdParam },
  responses: { 200: json(Step, "What happened"), 409: commonErrors[400], ...commonErrors },
});

export const selfPayRoutes = new OpenAPIHono<AppEnv>()
  .openapi(start, async (c) => c.json(await startAuthentication({ ctx: userCtx(c), invoiceId: c.req.valid("param").id }), 200))
  .openapi(complete, async (c) => c.json(await completeAuthentication({ ctx: userCtx(c), invoiceId: c.req.valid("param").id }), 200));
