/**
 * Collection routes (docs/decisions/019-collection.md): Payment Info » Auto Payment (the caller's own
 * organization) and Invoices » More » Capture Payment (operators with billing.write; preview, then confirm).
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { AutoPaymentInput, AutoPaymentSchema, CaptureInput, CapturePreviewSchema, ChargeResultSchema } from "../contract/collection";
import { getAutoPayment, setAutoPayment } from "../domain/collection/auto-payment";
import { capturePayment, previewCapture } from "../domain/collection/capture";
import { userCtx } from "../domain/context";
import type { AppEnv } from "../env";
import { commonErrors, json, routeGroup } from "./define";
import type { Policy } from "./policy";

const own: Policy = { audience: "own" };
const WRITE = { audience: "operator", privilege: "billing.write" } as const;
const IdParam = z.object({ id: z.string().min(1).max(64) });
const refused = { 402: commonErrors[400], 409: commonErrors[400] };
const paymentsRoute = routeGroup({ tags: ["Payments"] });
const invoicesRoute = routeGroup({ tags: ["Invoices"] });

const getAuto = paymentsRoute.get("/api/payment-info/auto-payment", { policy: own, summary: "Auto Payment: on or off, and the card",
  responses: { 200: json(AutoPaymentSchema, "Auto Payment") } });
const putAuto = paymentsRoute.put("/api/payment-info/auto-payment", { policy: own, summary: "Turn Auto Payment on (with the chosen card) or off",
  body: AutoPaymentInput, responses: { 200: json(AutoPaymentSchema, "Auto Payment"), ...refused } });
const preview = invoicesRoute.get("/api/invoices/{id}/capture-payment", { policy: WRITE, summary: "Capture Payment: the card and amounts to confirm",
  request: { params: IdParam }, responses: { 200: json(CapturePreviewSchema, "What will be charged"), ...refused } });
const capture = invoicesRoute.post("/api/invoices/{id}/capture-payment", { policy: WRITE, summary: "Capture Payment: charge the due amount (wallet first, then the default card)",
  request: { params: IdParam }, body: CaptureInput, responses: { 200: json(ChargeResultSchema, "Paid, or waiting for the customer's authentication"), ...refused } });

export const collectionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(getAuto, async (c) => c.json(await getAutoPayment({ ctx: userCtx(c) }), 200))
  .openapi(putAuto, async (c) => c.json(await setAutoPayment({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(preview, async (c) => c.json(await previewCapture({ ctx: userCtx(c), id: c.req.valid("param").id }), 200))
  .openapi(capture, async (c) => c.json(await capturePayment({ ctx: userCtx(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200));
