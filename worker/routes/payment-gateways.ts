/**
 * Billing Configurations » Payment Gateways: the list and the Stripe / ADPAY drawers' "Verify" (save + read-only
 * check); with the Credit Card Settings routes (card-settings.ts), the payments part of Billing Configurations.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { GatewayListSchema, SaveAdpayGatewayInput, SaveStripeGatewayInput, VerifyResultSchema } from "../contract/payments";
import type { AppEnv } from "../env";
import { listGateways } from "../domain/payments/list-gateways";
import { verifyAdpayGateway } from "../domain/payments/verify-adpay";
import { verifyStripeGateway } from "../domain/payments/verify-stripe";
import { json, routeGroup } from "./define";
import { userCtx } from "../domain/context";
import { cardSettingsRoutes } from "./card-settings";

const route = routeGroup({ tags: ["Payments"] });

const list = route.get("/api/billing/payment-gateways", { policy: { audience: "operator", privilege: "billing.read" },
  summary: "Payment Gateways with status, mode and capabilities (secrets only as set / last 4)",
  responses: { 200: json(GatewayListSchema, "The supported gateways") } });

const verifyStripe = route.put("/api/billing/payment-gateways/stripe", { policy: { audience: "operator", privilege: "billing.write" },
  summary: "Stripe drawer “Verify”: save the settings, then a read-only call to Stripe; the answer says whether it worked and why not",
  body: SaveStripeGatewayInput, responses: { 200: json(VerifyResultSchema, "Saved, with the verification result") } });

const verifyAdpay = route.put("/api/billing/payment-gateways/adpay", { policy: { audience: "operator", privilege: "billing.write" },
  summary: "ADPAY drawer “Verify”: save the settings, then the read-only merchant call",
  body: SaveAdpayGatewayInput, responses: { 200: json(VerifyResultSchema, "Saved, with the verification result") } });

export const paymentGatewayRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json(await listGateways({ ctx: userCtx(c) }), 200))
  .openapi(verifyStripe, async (c) => c.json(await verifyStripeGateway({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(verifyAdpay, async (c) => c.json(await verifyAdpayGateway({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .route("/", cardSettingsRoutes);
