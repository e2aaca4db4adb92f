/**
 * Payment Gateways, happy path: "Verify" saves and checks the keys against the local Stripe / ADPAY sandbox,
 * the mode comes from the key, secrets are stored encrypted and only their last 4 characters come back.
 */
import { describe, expect, it } from "vitest";
import type { GatewayList, VerifyResult } from "./payment-helpers";
import { paymentGateways } from "../../../worker/db/schema";
import { createSession, db } from "../../factories";
import { auditRows, testClient, callerAs, useWorld } from "../../helpers";
import { LOCAL_ADPAY_CREDENTIALS, LOCAL_STRIPE_KEYS } from "../../local-stripe";
import { stripeInput } from "./payment-helpers";

const world = useWorld();

const as = callerAs;

describe("Payment Gateways", () => {
  it("lists Stripe and ADPAY, disabled, with their capabilities and the webhook URL to copy", async () => {
    const call = await as(world.admin.id);
    const res = await call("GET", "/api/billing/payment-gateways");
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as GatewayList;
    const stripe = items.find((g) => g.id === "stripe")!;
    expect(stripe.capabilities).toEqual(expect.arrayContaining(["tokenize", "offSessionCharge"]));
    expect(stripe.stripe!.webhookUrl).toBe("http://localhost:8787/api/webhooks/stripe");
    expect(stripe.stripe!.webhookEvents).toContain("setup_intent.succeeded");
    const adpay = items.find((g) => g.id === "adpay")!;
    expect(adpay.capabilities).toContain("hostedPage");
    expect(adpay.capabilities).not.toContain("offSessionCharge");
  });

  it("Stripe Verify saves, answers success in words, detects test mode and never returns the secrets", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput());
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain(LOCAL_STRIPE_KEYS.secretKey);
    expect(text).not.toContain(LOCAL_STRIPE_KEYS.webhookSecret);
    const body = JSON.parse(text) as VerifyResult;
    expect(body.verified).toBe(true);
    expect(body.message).toMatch(/credentials work \(test mode\)/);
    expect(body.gateway).toMatchObject({ enabled: true, active: true, mode: "test", status: "Enabled" });
    expect(body.gateway.stripe!.secretKey).toEqual({ set: true, last4: LOCAL_STRIPE_KEYS.secretKey.slice(-4) });

    const row = await db().select().from(paymentGateways).get();
    expect(row!.secretsEnc).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(LOCAL_STRIPE_KEYS.secretKey);
    // Audit rows are append-only and other tests save as the same admin: the newest is this save.
    const rows = await auditRows({ action: "payments.gateway.stripe.saved", actorUserId: world.admin.id });
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(LOCAL_STRIPE_KEYS.secretKey.slice(8));
    const newest = rows.reduce((a, b) => (b.at > a.at || (b.at === a.at && b.id > a.id) ? b : a));
    const diff = JSON.parse(newest.diff) as Record<string, { before: unknown; after: unknown }>;
    expect(diff.credentialsChanged!.after).toEqual(["secretKey", "webhookSecret"]);
  });

  it("an empty secret field keeps the saved secret (the drawer never has it)", async () => {
    const call = await as(world.admin.id);
    await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput());
    const res = await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput({ secretKey: "", webhookSecret: "", acceptedBrands: ["visa"] }));
    const body = (await res.json()) as VerifyResult;
    expect(body.verified).toBe(true);
    expect(body.gateway.stripe!.acceptedBrands).toEqual(["visa"]);
    expect(body.gateway.stripe!.webhookSecret.set).toBe(true);
  });

  it("a read-only restricted key verifies (the check is a read)", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput({ secretKey: LOCAL_STRIPE_KEYS.restrictedKey }));
    expect(((await res.json()) as VerifyResult).verified).toBe(true);
  });

  it("ADPAY Verify checks the merchant against the sandbox and stores API key and secret encrypted", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/billing/payment-gateways/adpay", { enabled: true, merchantId: LOCAL_ADPAY_CREDENTIALS.merchantId, apiKey: LOCAL_ADPAY_CREDENTIALS.apiKey, secret: LOCAL_ADPAY_CREDENTIALS.secret });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain(LOCAL_ADPAY_CREDENTIALS.secret);
    const body = JSON.parse(text) as VerifyResult;
    expect(body.verified, body.message).toBe(true);
    expect(body.gateway).toMatchObject({ mode: "test", active: true });
    expect(body.gateway.adpay!.secret).toEqual({ set: true, last4: LOCAL_ADPAY_CREDENTIALS.secret.slice(-4) });
  });
});
