/** Payment Gateways, errors: every failing Verify says why in words, bad keys are refused field by field. */
import { describe, expect, it } from "vitest";
import { createSession } from "../../factories";
import { expectError, testClient, callerAs, useWorld } from "../../helpers";
import { LOCAL_ADPAY_CREDENTIALS } from "../../local-stripe";
import { stripeInput, type VerifyResult } from "./payment-helpers";

const world = useWorld();

const as = callerAs;

describe("Stripe Verify failures", () => {
  it("a wrong secret key: saved but not active, and the reason names the key", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput({ secretKey: "sk_test_wrongwrongwrong123" }));
    const body = (await res.json()) as VerifyResult;
    expect(body.verified).toBe(false);
    expect(body.message).toMatch(/Stripe refused the secret key/);
    expect(body.gateway).toMatchObject({ enabled: true, active: false, status: "Enabled · verification failed" });
    expect(body.message).not.toContain("wrongwrongwrong123");
  });

  it("a live key against a test-only Stripe: refused, in words", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput({ publicKey: "pk_live_abcdefgh12345678", secretKey: "sk_live_abcdefgh12345678" }));
    const body = (await res.json()) as VerifyResult;
    expect(body.verified).toBe(false);
    expect(body.gateway.mode).toBe("live");
    expect(body.message).toMatch(/refused/);
  });

  it("public and secret keys of different modes are refused before any call", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput({ publicKey: "pk_live_abcdefgh12345678" }));
    const err = await expectError(res, 400, "VALIDATION_FAILED");
    expect(err.fields!.publicKey).toMatch(/live public key but the secret key is a test key/);
  });

  it("no network: the reason says Stripe could not be reached", async () => {
    const call = await as(world.admin.id, { STRIPE_API_PORT: "9" });
    const res = await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput());
    const body = (await res.json()) as VerifyResult;
    expect(body.verified).toBe(false);
    expect(body.message).toMatch(/Could not reach Stripe/);
  });

  it("malformed keys and no accepted brand are field errors", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput({ secretKey: "4242424242424242", webhookSecret: "nope", acceptedBrands: [] }));
    const err = await expectError(res, 400, "VALIDATION_FAILED");
    expect(Object.keys(err.fields!)).toEqual(expect.arrayContaining(["secretKey", "webhookSecret"]));
    const res2 = await call("PUT", "/api/billing/payment-gateways/stripe", stripeInput({ acceptedBrands: [] }));
    expect((await expectError(res2, 400, "VALIDATION_FAILED")).fields!.acceptedBrands).toMatch(/at least one/);
  });

  it("an unknown card brand is refused by the schema", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/billing/payment-gateways/stripe", { ...stripeInput(), acceptedBrands: ["visa", "bitcoin"] });
    await expectError(res, 400, "VALIDATION_FAILED");
  });
});

describe("ADPAY Verify failures", () => {
  it("with nothing saved, every missing field is named", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/billing/payment-gateways/adpay", { enabled: true, merchantId: "", apiKey: "", secret: "" });
    const err = await expectError(res, 400, "VALIDATION_FAILED");
    expect(Object.keys(err.fields!).sort()).toEqual(["apiKey", "merchantId", "secret"]);
  });

  it("a wrong secret is refused by the sandbox's signature check, in words", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/billing/payment-gateways/adpay", { enabled: true, merchantId: LOCAL_ADPAY_CREDENTIALS.merchantId, apiKey: LOCAL_ADPAY_CREDENTIALS.apiKey, secret: "wrong-secret" });
    const body = (await res.json()) as VerifyResult;
    expect(body.verified).toBe(false);
    expect(body.message).toMatch(/ADPAY refused the credentials \(invalid_signature\)/);
  });

  it("missing fields are named (saved secrets count: an empty secret field keeps them)", async () => {
    const call = await as(world.admin.id);
    const res = await call("PUT", "/api/billing/payment-gateways/adpay", { enabled: true, merchantId: "", apiKey: "", secret: "" });
    const err = await expectError(res, 400, "VALIDATION_FAILED");
    expect(Object.keys(err.fields!)).toEqual(["merchantId"]);
  });
});
