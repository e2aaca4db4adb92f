/**
 * Stripe drawer → "Verify": saves the settings and makes a read-only call (balance) with the new keys. The keys'
 * mode (test/live) comes from their prefixes and must agree. Empty secret fields keep the saved secrets.
 */
import { keyMode, SaveStripeGatewayInput, type VerifyResult } from "../../contract/payments";
import { StripeGateway, stripeSdk } from "../../integrations/payments/stripe";
import type { ActorContext } from "../context";
import type { StripeSecrets } from "./gateway-store";
import { verifyGateway } from "./write-gateway";

const secretMode = (secrets: StripeSecrets) => (secrets.secretKey ? keyMode(secrets.secretKey) : null);

export async function verifyStripeGateway(args: { ctx: ActorContext; input: SaveStripeGatewayInput }): Promise<VerifyResult> {
  const { ctx } = args;
  const input = SaveStripeGatewayInput.parse(args.input);
  return verifyGateway<StripeSecrets>(ctx, {
    id: "stripe",
    enabled: input.enabled,
    settings: { publicKey: input.publicKey, acceptedBrands: input.acceptedBrands, securityBadge: input.securityBadge },
    typed: { secretKey: input.secretKey, webhookSecret: input.webhookSecret },
    problems(secrets) {
      const fields: Record<string, string> = {};
      if (!input.publicKey) fields.publicKey = "Enter the publishable key (pk_test_… or pk_live_…).";
      if (!secrets.secretKey) fields.secretKey = "Enter the secret key (sk_…) or a restricted key (rk_…).";
      const mode = secretMode(secrets);
      const publicMode = input.publicKey ? keyMode(input.publicKey) : null;
      if (mode && publicMode && mode !== publicMode) fields.publicKey = `This is a ${publicMode} public key but the secret key is a ${mode} key: use both keys from the same mode.`;
      if (input.enabled && input.acceptedBrands.length === 0) fields.acceptedBrands = "Accept at least one card type.";
      return fields;
    },
    mode: secretMode,
    check: async (secrets) => new StripeGateway(await stripeSdk(ctx.config, secrets.secretKey!)).testCredentials(),
  });
}
