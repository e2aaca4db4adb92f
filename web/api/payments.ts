/** Payment Gateways (operator) and Payment Info (customers and resellers), through the typed client. */
import { action, json, query, revalidate } from "@solidjs/router";
import type { CardSettingsInput, SaveAdpayGatewayInput, SaveStripeGatewayInput, UpdateCardInput } from "../../worker/contract/payments";
import type { AutoPaymentInput } from "../../worker/contract/collection";
import { client, enc, unwrap } from "./client";

const gateways = client.api.billing["payment-gateways"];
const info = client.api["payment-info"];

export const getGateways = query(async () => (await unwrap(gateways.$get())).items, "payments.gateways");

/** Billing Configurations » Credit Card Settings. */
export const getCardSettings = query(() => unwrap(client.api.billing["card-settings"].$get()), "payments.cardSettings");

export const saveCardSettings = action(async (input: CardSettingsInput) => {
  const saved = await unwrap(client.api.billing["card-settings"].$put({ json: input }));
  return json(saved, { revalidate: "payments.cardSettings" });
}, "saveCardSettings");

/** Save a gateway's settings and verify them with the gateway; the answer says in words whether it worked. */
export const verifyStripe = action(async (input: SaveStripeGatewayInput) => {
  const result = await unwrap(gateways.stripe.$put({ json: input }));
  return json(result, { revalidate: "payments.gateways" });
}, "verifyStripe");

export const verifyAdpay = action(async (input: SaveAdpayGatewayInput) => {
  const result = await unwrap(gateways.adpay.$put({ json: input }));
  return json(result, { revalidate: "payments.gateways" });
}, "verifyAdpay");

// ── Payment Info ─────────────────────────────────────────────────────────────────────────────────────────────

export const getPaymentInfo = query(() => unwrap(info.$get()), "payments.info");

export const addCard = (paymentMethodId: string) => unwrap(info.cards.$post({ json: { paymentMethodId } }));

export const confirmCard = (intentId: string) => unwrap(info.cards.confirm.$post({ json: { intentId } }));

/** Every write that changes the card list re-reads Payment Info, the card standing and Auto Payment. */
export const CARD_QUERIES = ["payments.info", "payments.cardStanding", "payments.autoPayment"];

export const setDefaultCard = action(async (id: string) => {
  const card = await unwrap(info.cards[":id"].default.$post({ param: { id: enc(id) } }));
  return json(card, { revalidate: CARD_QUERIES });
}, "setDefaultCard");

export const removeCard = action(async (id: string) => {
  await unwrap(info.cards[":id"].$delete({ param: { id: enc(id) } }));
  return json(id, { revalidate: CARD_QUERIES });
}, "removeCard");

/** Payment Info » Update: Cardholder Name and Expiry Date, changed at the gateway (ADR 016c). */
export const updateCard = action(async (id: string, input: UpdateCardInput) => {
  const updated = await unwrap(info.cards[":id"].$put({ param: { id: enc(id) }, json: input }));
  return json(updated, { revalidate: CARD_QUERIES });
}, "updateCard");

export const setPaymentMode = action(async (mode: "online" | "offline") => {
  await unwrap(info.mode.$put({ json: { mode } }));
  return json(mode, { revalidate: "payments.info" });
}, "setPaymentMode");

export const refreshPaymentInfo = () => revalidate(CARD_QUERIES);

/** Payment Info » Auto Payment: whether every new invoice is charged automatically, and to which card. */
export const getAutoPayment = query(() => unwrap(info["auto-payment"].$get()), "payments.autoPayment");

export const saveAutoPayment = action(async (input: AutoPaymentInput) => {
  const saved = await unwrap(info["auto-payment"].$put({ json: input }));
  return json(saved, { revalidate: "payments.autoPayment" });
}, "saveAutoPayment");

/** "Enforce Credit Card" for the signed-in organization: blocked until it has a valid card (ADR 016c). */
export const getCardStanding = query(() => unwrap(client.api.account["card-standing"].$get()), "payments.cardStanding");
