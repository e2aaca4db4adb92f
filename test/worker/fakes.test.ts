/**
 * The test doubles later issues rely on work from inside workerd: the real Stripe SDK against the fake Stripe
 * server, and worker-mailer against the loopback SMTP sinks in every mode (plain, AUTH, STARTTLS, implicit TLS).
 */
import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { openSmtpSession, type SmtpSettings } from "../../worker/integrations/mailer";

function stripe() {
  return new Stripe("sk_test_cumulus", {
    httpClient: Stripe.createFetchHttpClient(),
    host: "127.0.0.1",
    port: Number(env.STRIPE_API_PORT),
    protocol: "http",
    maxNetworkRetries: 0,
  });
}

describe("fake Stripe (real SDK)", () => {
  it("answers balance, customers and payment methods like Stripe", async () => {
    const client = stripe();
    const balance = await client.balance.retrieve();
    expect(balance.object).toBe("balance");
    const customer = await client.customers.create({ email: "billing@example.test", metadata: { orgId: "org_1" } });
    expect(customer.id).toMatch(/^cus_/);
    const pm = await client.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    expect(pm.card).toMatchObject({ brand: "visa", last4: "4242" });
    expect(pm.card?.fingerprint).toBeTruthy();
  });

  it("scripts declines with Stripe-shaped card errors", async () => {
    const client = stripe();
    const customer = await client.customers.create({});
    const pm = await client.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: customer.id });
    const attempt = client.paymentIntents.create({ amount: 1999, currency: "eur", customer: customer.id, payment_method: pm.id, confirm: true, off_session: true });
    await expect(attempt).rejects.toMatchObject({ type: "StripeCardError", code: "card_declined", decline_code: "generic_decline", statusCode: 402 });
  });

  it("replays idempotent requests and refuses a reused key with other parameters", async () => {
    const client = stripe();
    const key = `ik_${crypto.randomUUID()}`;
    const first = await client.customers.create({ email: "a@example.test" }, { idempotencyKey: key });
    const replay = await client.customers.create({ email: "a@example.test" }, { idempotencyKey: key });
    expect(replay.id).toBe(first.id);
    await expect(client.customers.create({ email: "b@example.test" }, { idempotencyKey: key })).rejects.toMatchObject({ type: "StripeIdempotencyError" });
  });

  it("refuses a missing or wrong API key", async () => {
    const bad = new Stripe("not-a-key", { httpClient: Stripe.createFetchHttpClient(), host: "127.0.0.1", port: Number(env.STRIPE_API_PORT), protocol: "http", maxNetworkRetries: 0 });
    await expect(bad.balance.retrieve()).rejects.toMatchObject({ type: "StripeAuthenticationError" });
  });
});

describe("SMTP sinks (worker-mailer)", () => {
  const base = { host: "127.0.0.1", fromAddress: "no-reply@cumulus.test", fromName: "Cumulus" };
  const modes: Array<[string, Omit<SmtpSettings, "host" | "fromAddress" | "fromName">, string]> = [
    ["plain", { port: Number(env.SMTP_PORT), secure: false, startTls: false }, env.SMTP_CONTROL_PORT],
    ["AUTH", { port: Number(env.SMTP_AUTH_PORT), secure: false, startTls: false, username: env.SMTP_TEST_USER, password: env.SMTP_TEST_PASS }, env.SMTP_AUTH_CONTROL_PORT],
    ["STARTTLS + AUTH", { port: Number(env.SMTP_STARTTLS_PORT), secure: false, startTls: true, username: env.SMTP_TEST_USER, password: env.SMTP_TEST_PASS }, env.SMTP_STARTTLS_CONTROL_PORT],
    ["implicit TLS + AUTH", { port: Number(env.SMTP_TLS_PORT), secure: true, startTls: false, username: env.SMTP_TEST_USER, password: env.SMTP_TEST_PASS }, env.SMTP_TLS_CONTROL_PORT],
  ];
  for (const [name, settings, controlPort] of modes) {
    it(`sends over ${name}`, async () => {
      const to = `sink-${crypto.randomUUID()}@example.test`;
      const session = await openSmtpSession({ ...base, ...settings });
      await session.send({ toAddress: to, toName: "Test", subject: `Hello ${name}`, html: "<p>Hi</p>", text: "Hi", messageId: `<${crypto.randomUUID()}@cumulus.test>` });
      await session.close();
      const messages = (await (await fetch(`http://127.0.0.1:${controlPort}/messages`)).json()) as Array<{ envelope: { to: string[] }; subject: string; secure: boolean; authUser: string | null }>;
      const mine = messages.filter((m) => m.envelope.to.includes(to));
      expect(mine).toHaveLength(1);
      expect(mine[0]!.subject).toBe(`Hello ${name}`);
      expect(mine[0]!.secure).toBe(settings.secure || settings.startTls);
      expect(mine[0]!.authUser).toBe(settings.username ?? null);
    });
  }

  it("a wrong password is refused by the AUTH sink", async () => {
    await expect(
      openSmtpSession({ ...base, port: Number(env.SMTP_AUTH_PORT), secure: false, startTls: false, username: env.SMTP_TEST_USER, password: "wrong" }),
    ).rejects.toThrow();
  });
});
