/** Payment Gateways, security: only the operator with billing privileges; secrets never leave the Worker. */
import { describe, expect, it } from "vitest";
import { paymentGateways } from "../../../worker/db/schema";
import { decryptSecret } from "../../../worker/integrations/crypto/secrets";
import { createSession, db } from "../../factories";
import { expectError, testClient, callerAs, useWorld } from "../../helpers";
import { LOCAL_STRIPE_KEYS } from "../../local-stripe";
import { env } from "cloudflare:workers";
import { stripeInput } from "./payment-helpers";

const world = useWorld();

const as = callerAs;

describe("who may see and change gateways", () => {
  it("customers and resellers get 403 on the list and on Verify", async () => {
    for (const user of [world.customerAUser, world.resellerAUser]) {
      const call = await as(user.id);
      await expectError(await call("GET", "/api/billing/payment-gateways"), 403, "FORBIDDEN");
      await expectError(await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput()), 403, "FORBIDDEN");
    }
  });

  it("staff with billing.read may look but not Verify; staff without it may not look", async () => {
    const reader = await as(world.staffRead.id);
    expect((await reader("GET", "/api/billing/payment-gateways")).status).toBe(200);
    await expectError(await reader("PUT", "/api/billing/payment-gateways/adpay", { enabled: false, merchantId: "", apiKey: "", secret: "" }), 403, "FORBIDDEN");
    const none = await as(world.staffNone.id);
    await expectError(await none("GET", "/api/billing/payment-gateways"), 403, "FORBIDDEN");
  });

  it("signed out: 401", async () => {
    const res = await testClient().request("GET", "/api/billing/payment-gateways");
    await expectError(res, 401, "UNAUTHENTICATED");
  });
});

describe("secrets at rest", () => {
  it("are one AES-GCM blob bound to the gateway: moved to the other row it does not decrypt", async () => {
    const call = await as(world.admin.id);
    await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput());
    const row = await db().select().from(paymentGateways).get();
    const plain = JSON.parse(await decryptSecret(env.SECRETS_KEY, row!.secretsEnc!, "platform|gateway.stripe.secrets|v1")) as Record<string, string>;
    expect(plain.secretKey).toBe(LOCAL_STRIPE_KEYS.secretKey);
    await expect(decryptSecret(env.SECRETS_KEY, row!.secretsEnc!, "platform|gateway.adpay.secrets|v1")).rejects.toThrow();
  });

  it("the list never contains a secret, only the last 4", async () => {
    const call = await as(world.admin.id);
    await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput());
    const text = await (await call("GET", "/api/billing/payment-gateways")).text();
    expect(text).not.toContain(LOCAL_STRIPE_KEYS.secretKey);
    expect(text).not.toContain(LOCAL_STRIPE_KEYS.webhookSecret);
    expect(text).toContain(`"last4":"${LOCAL_STRIPE_KEYS.secretKey.slice(-4)}"`);
  });
});
