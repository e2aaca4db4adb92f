/**
 * My Invoices » Pay all (docs/decisions/019b-card-health-and-self-pay.md): the confirmation (each unpaid invoice
 * and its share, the wallet's part, the card's part) and the one payment. The caller's own organization only:
 * operators (staff) have none and are refused.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { PayAllInput, PayAllPreviewSchema, PayAllResultSchema } from "../contract/pay-all";
import { userCtx } from "../domain/context";
import { payAll, previewPayAll } from "../domain/self-pay/pay-all";
import type { AppEnv } from "../env";
import { commonErrors, json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Invoices"] });

const own = { audience: "own" } as const;
const refused = { 402: commonErrors[400], 409: commonErrors[400] };

const preview = route.get("/api/invoices/pay-all", { policy: own, summary: "Pay all: every unpaid invoice (oldest first) with its share, the wallet's part and the card's",
  responses: { 200: json(PayAllPreviewSchema, "What would be paid"), ...refused } });
const pay = route.post("/api/invoices/pay-all", { policy: own, summary: "Pay all: one payment for every unpaid invoice (wallet first, then one card charge); a changed total is refused",
  body: PayAllInput, responses: { 200: json(PayAllResultSchema, "Paid, declined (with the reason) or waiting for 3-D Secure"), ...refused } });

/** Mounted before the invoice routes: `GET /api/invoices/{id}` would otherwise take "pay-all" for an id. */
export const payAllRoutes = new OpenAPIHono<AppEnv>()
  .openapi(preview, async (c) => c.json(await previewPayAll({ ctx: userCtx(c) }), 200))
  .openapi(pay, async (c) => c.json(await payAll({ ctx: userCtx(c), input: c.req.valid("json") }), 200));
