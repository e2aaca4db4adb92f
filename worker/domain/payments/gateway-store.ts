/**
 * Payment gateway configuration at rest (docs/decisions/016-payments.md): one row per gateway, non-secret settings
 * as JSON, secrets as ONE AES-GCM blob whose AAD names the gateway (a blob copied to the other row fails to
 * decrypt), and the last 4 characters of each secret as the only hint the portal ever gets.
 */
import { eq } from "drizzle-orm";
import { CARD_BRANDS, GATEWAY_LABELS, STRIPE_WEBHOOK_EVENTS, type CardBrand, type Gateway, type GatewayId } from "../../contract/payments";
import { paymentGateways } from "../../db/schema";
import type { Config } from "../../env";
import { decryptSecret } from "../../integrations/crypto/secrets";
import { ADPAY_CAPABILITIES, AdpayClient, wallSeconds } from "../../integrations/payments/adpay";
import { STRIPE_CAPABILITIES, StripeGateway, stripeSdk } from "../../integrations/payments/stripe";
import type { DomainContext } from "../context";

export type GatewayRow = typeof paymentGateways.$inferSelect;

export interface StripeSettings {
  publicKey: string;
  acceptedBrands: CardBrand[];
  securityBadge: boolean;
}
export interface StripeSecrets {
  secretKey?: string;
  webhookSecret?: string;
}
export interface AdpaySettings {
  merchantId: string;
}
export interface AdpaySecrets {
  apiKey?: string;
  secret?: string;
}

export const DEFAULT_STRIPE: StripeSettings = { publicKey: "", acceptedBrands: ["visa", "mastercard", "amex", "discover"], securityBadge: true };
export const gatewayAad = (id: GatewayId) => `platform|gateway.${id}.secrets|v1`;

export async function loadGatewayRow(ctx: Pick<DomainContext, "db">, id: GatewayId): Promise<GatewayRow | undefined> {
  return ctx.db.select().from(paymentGateways).where(eq(paymentGateways.id, id)).get();
}

export async function gatewaySecrets<T>(config: Config, row: GatewayRow | undefined): Promise<T> {
  if (!row?.secretsEnc) return {} as T;
  return JSON.parse(await decryptSecret(config.SECRETS_KEY, row.secretsEnc, gatewayAad(row.id))) as T;
}

export const stripeSettingsOf = (row: GatewayRow | undefined): StripeSettings => ({ ...DEFAULT_STRIPE, ...(row ? (JSON.parse(row.settings) as Partial<StripeSettings>) : {}) });
export const adpaySettingsOf = (row: GatewayRow | undefined): AdpaySettings => ({ merchantId: "", ...(row ? (JSON.parse(row.settings) as Partial<AdpaySettings>) : {}) });

/** A gateway customers may use: enabled and its last Verify succeeded. */
export const isActive = (row: GatewayRow | undefined): boolean => !!row?.enabled && row.verifiedAt !== null && !row.verifyError;

export const lastFour = (secret: string | undefined): string | null => (secret ? secret.slice(-4) : null);

export function webhookUrl(config: Config, gateway: GatewayId): string {
  return `${config.PUBLIC_ORIGIN.replace(/\/$/, "")}/api/webhooks/${gateway}`;
}

/** The drawer's view of a row: secrets as "set" and last 4 only. */
export function gatewayDto(config: Config, id: GatewayId, row: GatewayRow | undefined): Gateway {
  const hints = JSON.parse(row?.secretHints ?? "{}") as Record<string, string | null>;
  const hint = (k: string) => ({ set: !!hints[k], last4: hints[k] ?? null });
  const active = isActive(row);
  const status = !row?.enabled ? "Disabled" : active ? "Enabled" : row.verifyError ? "Enabled · verification failed" : "Enabled · not verified";
  const base = {
    id,
    label: GATEWAY_LABELS[id],
    enabled: !!row?.enabled,
    mode: row?.mode ?? null,
    active,
    status,
    capabilities: [...(id === "stripe" ? STRIPE_CAPABILITIES : ADPAY_CAPABILITIES)],
    verifiedAt: row?.verifiedAt ? new Date(row.verifiedAt).toISOString() : null,
    verifyError: row?.verifyError ?? null,
    updatedAt: row ? new Date(row.updatedAt).toISOString() : null,
  };
  if (id === "stripe") {
    const s = stripeSettingsOf(row);
    const acceptedBrands = s.acceptedBrands.filter((b) => (CARD_BRANDS as readonly string[]).includes(b));
    return { ...base, stripe: { publicKey: s.publicKey, secretKey: hint("secretKey"), webhookSecret: hint("webhookSecret"), acceptedBrands, securityBadge: s.securityBadge, webhookUrl: webhookUrl(config, "stripe"), webhookEvents: [...STRIPE_WEBHOOK_EVENTS] } };
  }
  return { ...base, adpay: { merchantId: adpaySettingsOf(row).merchantId, apiKey: hint("apiKey"), secret: hint("secret"), callbackUrl: webhookUrl(config, "adpay") } };
}

/** The Stripe adapter with the saved secret key, or null when Stripe is not active. */
export async function activeStripe(ctx: Pick<DomainContext, "db" | "config">): Promise<{ gateway: StripeGateway; settings: StripeSettings; secrets: StripeSecrets } | null> {
  const row = await loadGatewayRow(ctx, "stripe");
  if (!isActive(row)) return null;
  const secrets = await gatewaySecrets<StripeSecrets>(ctx.config, row);
  if (!secrets.secretKey) return null;
  return { gateway: new StripeGateway(await stripeSdk(ctx.config, secrets.secretKey)), settings: stripeSettingsOf(row), secrets };
}

export function adpayClient(ctx: Pick<DomainContext, "config">, settings: AdpaySettings, secrets: AdpaySecrets): AdpayClient | null {
  if (!ctx.config.ADPAY_API_URL || !settings.merchantId || !secrets.apiKey || !secrets.secret) return null;
  return new AdpayClient(ctx.config.ADPAY_API_URL, { merchantId: settings.merchantId, apiKey: secrets.apiKey, secret: secrets.secret }, wallSeconds);
}
