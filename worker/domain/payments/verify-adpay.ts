/**
 * ADPAY drawer → "Verify": saves the settings and calls the read-only merchant endpoint (ADR 016b) with the new
 * credentials. The mode comes from the API key's prefix. Empty secret fields keep the saved secrets.
 */
import { keyMode, SaveAdpayGatewayInput, type VerifyResult } from "../../contract/payments";
import type { ActorContext } from "../context";
import { adpayClient, type AdpaySecrets } from "./gateway-store";
import { verifyGateway } from "./write-gateway";

export async function verifyAdpayGateway(args: { ctx: ActorContext; input: SaveAdpayGatewayInput }): Promise<VerifyResult> {
  const { ctx } = args;
  const input = SaveAdpayGatewayInput.parse(args.input);
  const settings = { merchantId: input.merchantId };
  return verifyGateway<AdpaySecrets>(ctx, {
    id: "adpay",
    enabled: input.enabled,
    settings,
    typed: { apiKey: input.apiKey, secret: input.secret },
    problems(secrets) {
      const fields: Record<string, string> = {};
      if (!input.merchantId) fields.merchantId = "Enter the Merchant ID.";
      if (!secrets.apiKey) fields.apiKey = "Enter the API key.";
      if (!secrets.secret) fields.secret = "Enter the secret.";
      return fields;
    },
    mode: (secrets) => keyMode(secrets.apiKey!),
    async check(secrets) {
      const client = adpayClient(ctx, settings, secrets);
      return client ? client.testCredentials() : { ok: false, reason: "ADPAY_API_URL is not configured on this Worker, so ADPAY cannot be reached." };
    },
  });
}
