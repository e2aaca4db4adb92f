/** Gateway webhooks: authenticated by the gateway's signature (no session, CSRF-exempt), answered fast. */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { receiveStripeEvent } from "../domain/payments/receive-stripe-event";
import { json, routeGroup } from "./define";
import { queuesOf, requestCtx } from "../domain/context";

const route = routeGroup({ tags: ["Payments"] });

const stripe = route.post("/api/webhooks/stripe", { policy: { audience: "public" },
  summary: "Stripe webhook endpoint: Stripe-Signature verified on the raw body, event id stored once, work queued",
  responses: { 200: json(z.object({ received: z.literal(true), duplicate: z.boolean() }), "Stored (or already stored)") } });

export const webhookRoutes = new OpenAPIHono<AppEnv>().openapi(stripe, async (c) => {
  const result = await receiveStripeEvent({ ctx: requestCtx(c), rawBody: await c.req.text(), signature: c.req.header("stripe-signature") ?? null, queue: queuesOf(c.env).payments });
  return c.json({ received: true as const, duplicate: result.duplicate }, 200);
});
