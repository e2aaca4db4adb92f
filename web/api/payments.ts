/** Payment Gateways (operator) and Payment Info (customers and resellers), through the typed client. */
import { action, json, query, revalidate } from "@solidjs/router";
import type { CardSettingsInput, SaveAdpayGatewayInput, SaveStripeGatewayInput } from "../../worker/contract/payments";
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

export async function setDefaultCard(id: string): Promise<void> {
  await unwrap(info.cards[":id"].default.$post({ param: { id: enc(id) } }));
  await revalidate("payments.info");
}

export async function removeCard(id: string): Promise<void> {
  await unwrap(info.cards[":id"].$delete({ param: { id: enc(id) } }));
  await refreshPaymentInfo();
}

export async function setPaymentMode(mode: "online" | "offline"): Promise<void> {
  await unwrap(info.mode.$put({ json: { mode } }));
  await revalidate("payments.info");
}

export const refreshPaymentInfo = () => revalidate(["payments.info", "payments.cardStanding", "payments.autoPayment"]);

/** Payment Info » Auto Payment: whether every new invoice is charged automatically, and to which card. */
export const getAutoPayment = query(() => unwrap(info["auto-payment"].$get()), "payments.autoPayment");

export const saveAutoPayment = action(async (input: AutoPaymentInput) => {
  const saved = await unwrap(info["auto-payment"].$put({ json: input }));
  return json(saved, { revalidate: "payments.autoPayment" });
}, "saveAutoPayment");

/** "Enforce Credit Card" for the signed-in organization: blocked until it has a valid card (ADR 016c). */
export const getCardStanding = query(() => unwrap(client.api.account["card-standing"].$get()), "payments.cardStanding");
