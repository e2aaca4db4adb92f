/**
 * ADPAY drawer → "Verify": saves the settings and calls the read-only merchant endpoint (ADR 016b) with the new
 * credentials. The mode comes from the API key's prefix. Empty secret fields keep the saved secrets.
 */
import { keyMode, SaveAdpayGatewayInput, type VerifyResult } from "../../contract/payments";
import { validationFailed } from "../../errors";
import type { ActorContext } from "../context";
import { adpayClient, type AdpaySecrets } from "./gateway-store";
import { secretsAfterForm, writeGateway } from "./write-gateway";

export async function verifyAdpayGateway(args: { ctx: ActorContext; input: SaveAdpayGatewayInput }): Promise<VerifyResult> {
  const { ctx } = args;
  const input = SaveAdpayGatewayInput.parse(args.input);
  const { before, secrets, replaced } = await secretsAfterForm<AdpaySecrets>(ctx, "adpay", { apiKey: input.apiKey, secret: input.secret });
  const fields: Record<string, string> = {};
  if (!input.merchantId) fields.merchantId = "Enter the Merchant ID.";
  if (!secrets.apiKey) fields.apiKey = "Enter the API key.";
  if (!secrets.secret) fields.secret = "Enter the secret.";
  if (Object.keys(fields).length) throw validationFailed(fields);

  const settings = { merchantId: input.merchantId };
  const client = adpayClient(ctx, settings, secrets);
  const check = client ? await client.testCredentials() : ({ ok: false, reason: "ADPAY_API_URL is not configured on this Worker, so ADPAY cannot be reached." } as const);
  return writeGateway(ctx, { id: "adpay", before, enabled: input.enabled, mode: keyMode(secrets.apiKey!), settings, secrets: { ...secrets }, replaced, check });
}
