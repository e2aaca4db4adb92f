/**
 * Billing & Reports » Account Settings » Payment Info: the caller's own organization's cards (customers and
 * resellers). No route here accepts card data: Add a Card takes the PaymentMethod id Stripe.js created.
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { AddCardInput, AddCardResultSchema, CardSchema, CardStandingSchema, ConfirmCardInput, PaymentInfoSchema, PaymentModeInput, UpdateCardInput, UpdateCardResultSchema } from "../contract/payments";
import type { AppEnv } from "../env";
import { addCard } from "../domain/payments/add-card";
import { confirmCard } from "../domain/payments/confirm-card";
import { getPaymentInfo } from "../domain/payments/get-payment-info";
import { ownCardStanding } from "../domain/payments/card-standing";
import { removeCard } from "../domain/payments/remove-card";
import { setDefaultCard } from "../domain/payments/set-default-card";
import { setPaymentMode } from "../domain/payments/set-payment-mode";
import { updateCard } from "../domain/payments/update-card";
import { commonErrors, json, routeGroup } from "./define";
import { userCtx } from "../domain/context";
import type { Policy } from "./policy";

const route = routeGroup({ tags: ["Payments"] });

const policy: Policy = { audience: "own" };
const CardParam = z.object({ id: z.string().max(64) });
const refused = { 402: commonErrors[400], 409: commonErrors[400], 429: commonErrors[400] };

const get = route.get("/api/payment-info", { policy, summary: "Payment Info: cards (brand, last 4, expiry, status, default), Add a Card settings, payment mode",
  responses: { 200: json(PaymentInfoSchema, "Payment Info") } });
const add = route.post("/api/payment-info/cards", { policy, summary: "Add a Card from a Stripe.js PaymentMethod id (SetupIntent confirmed here; 3-D Secure answers requires_action)",
  body: AddCardInput, responses: { 201: json(AddCardResultSchema, "Saved, or 3-D Secure needed"), ...refused } });
const confirm = route.post("/api/payment-info/cards/confirm", { policy, summary: "Finish Add a Card after 3-D Secure (the intent is refetched from the gateway)",
  body: ConfirmCardInput, responses: { 201: json(AddCardResultSchema, "Saved, or still waiting for 3-D Secure"), ...refused } });
const setDefault = route.post("/api/payment-info/cards/{id}/default", { policy, summary: "Set as Default",
  request: { params: CardParam }, responses: { 200: json(CardSchema, "The new default card"), ...refused } });
const update = route.put("/api/payment-info/cards/{id}", { policy, summary: "Update a card's Cardholder Name and Expiry Date at the gateway (a Blocked card is validated again)",
  request: { params: CardParam }, body: UpdateCardInput, responses: { 200: json(UpdateCardResultSchema, "The updated card"), ...refused } });
const remove = route.delete("/api/payment-info/cards/{id}", { policy, summary: "Remove a card (refused with LAST_CARD for the last valid card while subscriptions are ongoing)",
  request: { params: CardParam }, responses: { 204: { description: "Removed" }, ...refused } });
const mode = route.put("/api/payment-info/mode", { policy, summary: "Online (card) or offline (bank transfer) payment, when a card is not enforced",
  body: PaymentModeInput, responses: { 200: json(PaymentInfoSchema, "Payment Info"), ...refused } });

const standing = route.get("/api/account/card-standing", { policy: { audience: "user" },
  summary: "Enforce Credit Card for the signed-in user's organization: blocked until it adds a valid card (the portal then opens Payment Info)",
  responses: { 200: json(CardStandingSchema, "Standing") } });

export const paymentInfoRoutes = new OpenAPIHono<AppEnv>()
  .openapi(get, async (c) => c.json(await getPaymentInfo({ ctx: userCtx(c) }), 200))
  .openapi(add, async (c) => c.json(await addCard({ ctx: userCtx(c), input: c.req.valid("json") }), 201))
  .openapi(confirm, async (c) => c.json(await confirmCard({ ctx: userCtx(c), input: c.req.valid("json") }), 201))
  .openapi(setDefault, async (c) => c.json(await setDefaultCard({ ctx: userCtx(c), cardId: c.req.valid("param").id }), 200))
  .openapi(update, async (c) => c.json(await updateCard({ ctx: userCtx(c), cardId: c.req.valid("param").id, input: c.req.valid("json") }), 200))
  .openapi(remove, async (c) => {
    await removeCard({ ctx: userCtx(c), cardId: c.req.valid("param").id });
    return c.body(null, 204);
  })
  .openapi(mode, async (c) => c.json(await setPaymentMode({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(standing, async (c) => c.json(await ownCardStanding({ ctx: userCtx(c) }), 200));
