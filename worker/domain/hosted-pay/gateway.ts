/**
 * The gateway that takes payments on its own page (capability `hostedPage`, ADR 016b): today the ADPAY
 * adapter. An invoice's hosted payments are payment rows keyed `adpay:{invoiceId}:{attempt}`; the key is also
 * the order reference ADPAY is idempotent on, so a retried start returns the same payment page.
 */
import { DomainError } from "../../errors";
import { ADPAY_CAPABILITIES, AdpayPayments } from "../../integrations/payments/adpay";
import type { DomainContext } from "../context";
import { activeStripe, adpayClient, adpaySettingsOf, gatewaySecrets, isActive, loadGatewayRow, type AdpaySecrets } from "../payments/gateway-store";
import { attemptKey, keyedAttempts, type PaymentRow } from "../collection/attempt";

export interface HostedGateway {
  id: "adpay";
  payments: AdpayPayments;
  /** Signs the return redirect and the callbacks. */
  secret: string;
}

export async function activeHostedGateway(ctx: Pick<DomainContext, "db" | "config" | "clock">): Promise<HostedGateway | null> {
  if (!ADPAY_CAPABILITIES.has("hostedPage")) return null;
  const row = await loadGatewayRow(ctx, "adpay");
  if (!isActive(row)) return null;
  const secrets = await gatewaySecrets<AdpaySecrets>(ctx.config, row);
  const client = adpayClient(ctx, adpaySettingsOf(row), secrets);
  return client ? { id: "adpay", payments: new AdpayPayments(client), secret: secrets.secret! } : null;
}

export async function hostedGateway(ctx: Pick<DomainContext, "db" | "config" | "clock">): Promise<HostedGateway> {
  const gw = await activeHostedGateway(ctx);
  if (!gw) throw new DomainError("PAYMENTS_UNAVAILABLE", "Paying on the gateway's page is not available: the operator has not enabled a gateway that offers it.");
  return gw;
}

/** The ways to pay the active gateways offer; the portal shows Pay now (card) or pay by redirect from this. */
export async function paymentOptions(ctx: Pick<DomainContext, "db" | "config" | "clock">): Promise<{ cardOnFile: boolean; hostedPage: boolean }> {
  const [card, hosted] = await Promise.all([activeStripe(ctx), activeHostedGateway(ctx)]);
  return { cardOnFile: !!card?.gateway.capabilities.has("tokenize"), hostedPage: !!hosted };
}

const keyPrefix = attemptKey.hosted;
export const hostedKey = (invoiceId: string, attempt: number) => `${keyPrefix(invoiceId)}${attempt}`;
/** The invoice a hosted payment pays, from its key. */
export const invoiceOfKey = (key: string): string => key.split(":")[1] ?? "";

/** The invoice's hosted payments so far, newest first (read through the unique key index). */
export const hostedAttempts = (ctx: Pick<DomainContext, "db">, invoiceId: string): Promise<PaymentRow[]> => keyedAttempts(ctx, keyPrefix(invoiceId));
