/** Payment Gateways (operator) and, later in this file, Payment Info (customers and resellers). */
import { query, revalidate } from "@solidjs/router";
import type { Gateway, SaveAdpayGatewayInput, SaveStripeGatewayInput, VerifyResult } from "../../worker/contract/payments";
import { api } from "./client";

export const getGateways = query(async () => (await api.get<{ items: Gateway[] }>("/billing/payment-gateways")).items, "payments.gateways");

export async function verifyGateway(id: "stripe", input: SaveStripeGatewayInput): Promise<VerifyResult>;
export async function verifyGateway(id: "adpay", input: SaveAdpayGatewayInput): Promise<VerifyResult>;
export async function verifyGateway(id: "stripe" | "adpay", input: SaveStripeGatewayInput | SaveAdpayGatewayInput): Promise<VerifyResult> {
  const result = await api.put<VerifyResult>(`/billing/payment-gateways/${id}`, input);
  await revalidate("payments.gateways");
  return result;
}
