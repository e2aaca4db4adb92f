/** Payment Gateways (operator) and, later in this file, Payment Info (customers and resellers). */
import { query, revalidate } from "@solidjs/router";
import type { AddCardResult, Card, Gateway, PaymentInfo, SaveAdpayGatewayInput, SaveStripeGatewayInput, VerifyResult } from "../../worker/contract/payments";
import { api } from "./client";

export const getGateways = query(async () => (await api.get<{ items: Gateway[] }>("/billing/payment-gateways")).items, "payments.gateways");

export async function verifyGateway(id: "stripe", input: SaveStripeGatewayInput): Promise<VerifyResult>;
export async function verifyGateway(id: "adpay", input: SaveAdpayGatewayInput): Promise<VerifyResult>;
export async function verifyGateway(id: "stripe" | "adpay", input: SaveStripeGatewayInput | SaveAdpayGatewayInput): Promise<VerifyResult> {
  const result = await api.put<VerifyResult>(`/billing/payment-gateways/${id}`, input);
  await revalidate("payments.gateways");
  return result;
}

// ── Payment Info ─────────────────────────────────────────────────────────────────────────────────────────────

export const getPaymentInfo = query(() => api.get<PaymentInfo>("/payment-info"), "payments.info");

export async function addCard(paymentMethodId: string): Promise<AddCardResult> {
  return api.post<AddCardResult>("/payment-info/cards", { paymentMethodId });
}

export async function confirmCard(intentId: string): Promise<AddCardResult> {
  return api.post<AddCardResult>("/payment-info/cards/confirm", { intentId });
}

export async function setDefaultCard(id: string): Promise<void> {
  await api.post<Card>(`/payment-info/cards/${encodeURIComponent(id)}/default`, {});
  await revalidate("payments.info");
}

export async function removeCard(id: string): Promise<void> {
  await api.delete<void>(`/payment-info/cards/${encodeURIComponent(id)}`);
  await revalidate("payments.info");
}

export async function setPaymentMode(mode: "online" | "offline"): Promise<void> {
  await api.put<PaymentInfo>("/payment-info/mode", { mode });
  await revalidate("payments.info");
}

export const refreshPaymentInfo = () => revalidate("payments.info");
