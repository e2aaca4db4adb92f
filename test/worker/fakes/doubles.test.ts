/**
 * The test doubles later issues rely on work from inside workerd: the real Stripe SDK against the local Stripe
 * (test/fakes/stripe, ADR 016a: keys, card data and Stripe's test cards, intents, idempotency, faults), and
 * worker-mailer against the loopback SMTP sinks in every mode (plain, AUTH, STARTTLS, implicit TLS).
 * Webhooks and the ADPAY sandbox have their own files (local-stripe-webhooks, adpay-sandbox).
 */
import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { openSmtpSession, type SmtpSettings } from "../../../worker/integrations/mailer";
import { testNow, yearOf } from "../../clock";
import { TEST_CARDS } from "../../fakes/stripe/cards";
import { browserClient, control, LOCAL_STRIPE_KEYS, localStripeUrl, stripeClient } from "../../local-stripe";

const stripe = () => stripeClient();
/** A card expiry safely in the future of the (possibly shifted) test clock. */
const EXP_YEAR = () => yearOf() + 3;

/** What Stripe.js does with typed card data: POST /v1/payment_methods with the publishable key. */
function typedCard(number: string, overrides: Partial<{ exp_month: number | string; exp_year: number | string; cvc: string }> = {}) {
  const amex = /^3[47]/.test(number);
  return browserClient().paymentMethods.create({
    type: "card",
    card: { number, exp_month: 12, exp_year: EXP_YEAR(), cvc: amex ? "1234" : "123", ...overrides } as Stripe.PaymentMethodCreateParams.Card,
    billing_details: { name: "Ada Lovelace" },
  });
}

describe("local Stripe: API keys", () => {
  it("answers balance, account, customers and payment methods like Stripe with its secret key", async () => {
    const client = stripe();
    expect((await client.balance.retrieve()).object).toBe("balance");
    expect((await client.accounts.retrieve(null)).id).toMatch(/^acct_/);
    const customer = await client.customers.create({ email: "billing@example.test", metadata: { orgId: "org_1" } });
    expect(customer.id).toMatch(/^cus_/);
    const pm = await client.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    expect(pm.card).toMatchObject({ brand: "visa", last4: "4242" });
    expect(pm.card?.fingerprint).toMatch(/^[A-Za-z0-9]{16}$/);
  });

  it("refuses missing, unknown and live keys with Stripe's 401, naming test mode for a live key", async () => {
    await expect(stripeClient("not-a-key").balance.retrieve()).rejects.toMatchObject({ type: "StripeAuthenticationError", statusCode: 401 });
    const unknown = stripeClient("sk_test_someoneElsesKey0000000001234");
    await expect(unknown.balance.retrieve()).rejects.toMatchObject({ type: "StripeAuthenticationError", message: expect.stringMatching(/^Invalid API Key provided: sk_test_\*+1234$/) });
    const live = stripeClient("sk_live_51RealLookingKey000000000009876");
    await expect(live.balance.retrieve()).rejects.toMatchObject({ type: "StripeAuthenticationError", message: expect.stringContaining("runs in test mode only") });
    // The key is never echoed in full.
    await live.balance.retrieve().catch((e: Error) => expect(e.message).not.toContain("RealLookingKey"));
    const res = await fetch(`${localStripeUrl()}/v1/balance`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("You did not provide an API key");
  });

  it("lets the publishable key do only what Stripe.js does, and hides server-side fields from it", async () => {
    const pk = browserClient();
    await expect(pk.customers.list()).rejects.toMatchObject({ statusCode: 401, message: expect.stringContaining("cannot be made with a publishable API key") });
    await expect(pk.paymentIntents.create({ amount: 100, currency: "eur" })).rejects.toMatchObject({ statusCode: 401 });
    const customer = await stripe().customers.create({ metadata: { secret: "server-only" } });
    const si = await stripe().setupIntents.create({ customer: customer.id, metadata: { org: "o1" } });
    // Intents need their client_secret; the view has no customer or metadata.
    await expect(pk.setupIntents.retrieve(si.id)).rejects.toMatchObject({ message: expect.stringContaining("client_secret") });
    await expect(pk.setupIntents.retrieve(si.id, { client_secret: `${si.id}_secret_wrong` })).rejects.toMatchObject({ statusCode: 400 });
    const seen = await pk.setupIntents.retrieve(si.id, { client_secret: si.client_secret! });
    expect(seen.status).toBe("requires_payment_method");
    expect(seen).not.toHaveProperty("customer");
    expect(seen).not.toHaveProperty("metadata");
    const pm = await typedCard("4242424242424242");
    expect(pm.card).not.toHaveProperty("fingerprint");
    expect((await stripe().paymentMethods.retrieve(pm.id)).card?.fingerprint).toMatch(/^[A-Za-z0-9]{16}$/);
  });

  it("treats the restricted key as read-only", async () => {
    const rk = stripeClient(LOCAL_STRIPE_KEYS.restrictedKey);
    expect((await rk.balance.retrieve()).object).toBe("balance");
    await expect(rk.customers.create({})).rejects.toMatchObject({ type: "StripePermissionError", statusCode: 403 });
  });
});

describe("local Stripe: card data from Stripe.js", () => {
  it("takes the brand from the BIN, for every brand Stripe reports", async () => {
    const brands: Record<string, string> = {
      "4242424242424242": "visa",
      "5555555555554444": "mastercard",
      "2223003122003222": "mastercard",
      "378282246310005": "amex",
      "6011111111111117": "discover",
      "3056930009020004": "diners",
      "36227206271667": "diners",
      "3566002020360505": "jcb",
      "6200000000000005": "unionpay",
    };
    for (const [number, brand] of Object.entries(brands)) {
      const pm = await typedCard(number);
      expect(pm.card, number).toMatchObject({ brand, last4: number.slice(-4), exp_month: 12, exp_year: EXP_YEAR() });
      expect(JSON.stringify(pm)).not.toContain(number);
    }
  });

  it("refuses bad numbers, expiry dates and CVCs with Stripe's codes", async () => {
    const year = EXP_YEAR();
    const cases: Array<[string, Parameters<typeof typedCard>[1], string, string]> = [
      ["4242424242424241", {}, "incorrect_number", "card[number]"], // Luhn
      ["424242424242", {}, "incorrect_number", "card[number]"], // too short for Visa
      ["9999999999999995", {}, "incorrect_number", "card[number]"], // no brand
      ["4242 4242 abcd 4242", {}, "invalid_number", "card[number]"],
      ["4242424242424242", { exp_month: 13 }, "invalid_expiry_month", "card[exp_month]"],
      ["4242424242424242", { exp_month: 0 }, "invalid_expiry_month", "card[exp_month]"],
      ["4242424242424242", { exp_year: yearOf() - 1 }, "invalid_expiry_year", "card[exp_year]"],
      ["4242424242424242", { exp_year: year + 60 }, "invalid_expiry_year", "card[exp_year]"],
      ["4242424242424242", { cvc: "12" }, "invalid_cvc", "card[cvc]"],
      ["378282246310005", { cvc: "123" }, "invalid_cvc", "card[cvc]"], // Amex: 4 digits
    ];
    for (const [number, overrides, code, param] of cases) {
      await expect(typedCard(number, overrides), `${number} ${JSON.stringify(overrides)}`).rejects.toMatchObject({ type: "StripeCardError", code, param });
    }
    // A real (non-test) card is declined in test mode, as on Stripe.
    await expect(typedCard("4111111111111111")).rejects.toMatchObject({ code: "card_declined", decline_code: "test_mode_live_card" });
  });

  it("a card expiring this month is valid, last month is not", async () => {
    const now = new Date(testNow());
    const month = now.getUTCMonth() + 1;
    const pm = await typedCard("4242424242424242", { exp_month: month, exp_year: now.getUTCFullYear() });
    expect(pm.card?.exp_month).toBe(month);
    if (month > 1) {
      await expect(typedCard("4242424242424242", { exp_month: month - 1, exp_year: now.getUTCFullYear() })).rejects.toMatchObject({ code: "invalid_expiry_month" });
    }
  });

  it("gives a card number the same fingerprint every time, and another number another one", async () => {
    const a = await typedCard("4242424242424242");
    const b = await typedCard("4242424242424242", { exp_month: 1, cvc: "999" });
    const c = await typedCard("5555555555554444");
    const token = await stripe().paymentMethods.attach("pm_card_visa", { customer: (await stripe().customers.create({})).id });
    const fp = async (id: string) => (await stripe().paymentMethods.retrieve(id)).card!.fingerprint;
    expect(await fp(a.id)).toBe(await fp(b.id));
    expect(await fp(a.id)).toBe(token.card!.fingerprint); // the token is the same test card
    expect(await fp(a.id)).not.toBe(await fp(c.id));
  });

  it("refuses raw card numbers with the secret key (server code uses tokens)", async () => {
    await expect(
      stripe().paymentMethods.create({ type: "card", card: { number: "4242424242424242", exp_month: 12, exp_year: EXP_YEAR(), cvc: "123" } as Stripe.PaymentMethodCreateParams.Card }),
    ).rejects.toMatchObject({ type: "StripeInvalidRequestError", code: "raw_card_data_not_allowed" });
  });

  it("never keeps a card number or CVC: the request log shows the last 4 only", async () => {
    const marker = `log-${crypto.randomUUID()}`;
    await browserClient().paymentMethods.create({
      type: "card",
      card: { number: "6011000990139424", exp_month: 12, exp_year: EXP_YEAR(), cvc: "731" } as Stripe.PaymentMethodCreateParams.Card,
      billing_details: { name: marker },
    });
    const log = JSON.stringify(await control("/__control/requests?api=stripe"));
    expect(log).toContain(marker);
    expect(log).not.toContain("6011000990139424");
    expect(log).not.toContain('"731"');
    expect(log).toContain("…9424");
  });
});

describe("local Stripe: test cards on SetupIntents and PaymentIntents", () => {
  async function setUp(number: string) {
    const client = stripe();
    const customer = await client.customers.create({ email: "cards@example.test" });
    const si = await client.setupIntents.create({ customer: customer.id, usage: "off_session" });
    const pm = await typedCard(number);
    const confirm = browserClient().setupIntents.confirm(si.id, { payment_method: pm.id, client_secret: si.client_secret! } as Stripe.SetupIntentConfirmParams);
    return { client, customer, si, pm, confirm };
  }
  const charge = (client: Stripe, customer: string, pm: string, offSession: boolean) =>
    client.paymentIntents.create({ amount: 1999, currency: "eur", customer, payment_method: pm, confirm: true, ...(offSession ? { off_session: true } : {}) });

  it("4242 sets up, attaches and becomes the customer's default", async () => {
    const { client, customer, pm, confirm } = await setUp("4242424242424242");
    expect((await confirm).status).toBe("succeeded");
    expect((await client.paymentMethods.retrieve(pm.id)).customer).toBe(customer.id);
    const updated = await client.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    expect(updated.invoice_settings.default_payment_method).toBe(pm.id);
    const paid = await charge(client, customer.id, pm.id, true);
    expect(paid.status).toBe("succeeded");
    // Detaching the default clears it, as on Stripe.
    await client.paymentMethods.detach(pm.id);
    expect((await client.customers.retrieve(customer.id) as Stripe.Customer).invoice_settings.default_payment_method).toBeNull();
  });

  it("declining cards fail at setup with their decline codes, and the SetupIntent records why", async () => {
    const expected: Array<[string, string, string, string]> = [
      ["4000000000000002", "card_declined", "generic_decline", "try_again_later"],
      ["4000000000009995", "card_declined", "insufficient_funds", "try_again_later"],
      ["4000000000009987", "card_declined", "lost_card", "do_not_try_again"],
      ["4000000000009979", "card_declined", "stolen_card", "do_not_try_again"],
      ["4100000000000019", "card_declined", "fraudulent", "do_not_try_again"],
      ["4000000000000069", "expired_card", "expired_card", "confirm_card_data"],
      ["4000000000000127", "incorrect_cvc", "incorrect_cvc", "confirm_card_data"],
    ];
    for (const [number, code, decline, advice] of expected) {
      const { client, si, confirm } = await setUp(number);
      await expect(confirm, number).rejects.toMatchObject({ type: "StripeCardError", code, decline_code: decline, raw: expect.objectContaining({ advice_code: advice }) });
      const after = await client.setupIntents.retrieve(si.id);
      expect(after.status).toBe("requires_payment_method");
      expect(after.last_setup_error).toMatchObject({ code, decline_code: decline });
    }
  });

  it("4000 0000 0000 0341 sets up but every charge declines", async () => {
    const { client, customer, pm, confirm } = await setUp("4000000000000341");
    expect((await confirm).status).toBe("succeeded");
    await expect(charge(client, customer.id, pm.id, true)).rejects.toMatchObject({ code: "card_declined", decline_code: "generic_decline" });
    await expect(charge(client, customer.id, pm.id, false)).rejects.toMatchObject({ code: "card_declined" });
    const failed = await client.paymentIntents.list({ customer: customer.id });
    expect(failed.data.every((pi) => pi.status === "requires_payment_method" && pi.last_payment_error?.decline_code === "generic_decline")).toBe(true);
  });

  it("4000 0025 0000 3155 asks for 3-D Secure on setup and on-session, and charges off-session once set up", async () => {
    const { client, customer, si, pm, confirm } = await setUp("4000002500003155");
    const pending = await confirm;
    expect(pending.status).toBe("requires_action");
    expect(pending.next_action).toMatchObject({ type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect" } });
    // Off-session before setup completes: authentication_required.
    await expect(charge(client, customer.id, pm.id, true)).rejects.toMatchObject({ code: "authentication_required", decline_code: "authentication_required" });
    await control("/__control/complete_action", { intent: si.id, outcome: "succeed" });
    expect((await client.setupIntents.retrieve(si.id)).status).toBe("succeeded");
    expect((await charge(client, customer.id, pm.id, true)).status).toBe("succeeded");
    const onSession = await charge(client, customer.id, pm.id, false);
    expect(onSession.status).toBe("requires_action");
    await control("/__control/complete_action", { intent: onSession.id, outcome: "fail" });
    const failed = await client.paymentIntents.retrieve(onSession.id);
    expect(failed).toMatchObject({ status: "requires_payment_method", last_payment_error: { code: "payment_intent_authentication_failure" } });
  });

  it("4000 0027 6000 3184 needs authentication on every payment, so off-session always fails", async () => {
    const { client, customer, si, pm, confirm } = await setUp("4000002760003184");
    expect((await confirm).status).toBe("requires_action");
    await control("/__control/complete_action", { intent: si.id, outcome: "succeed" });
    await expect(charge(client, customer.id, pm.id, true)).rejects.toMatchObject({ code: "authentication_required" });
  });

  it("a failed 3-D Secure on setup leaves the card unattached", async () => {
    const { client, si, pm, confirm } = await setUp("4000002500003155");
    await confirm;
    await control("/__control/complete_action", { intent: si.id, outcome: "fail" });
    const after = await client.setupIntents.retrieve(si.id);
    expect(after).toMatchObject({ status: "requires_payment_method", last_setup_error: { code: "setup_intent_authentication_failure" } });
    expect((await client.paymentMethods.retrieve(pm.id)).customer).toBeNull();
  });

  it("4000 0000 0000 0259 is charged, then disputed; refunds work on a plain charge", async () => {
    const { client, customer, pm, confirm } = await setUp("4000000000000259");
    await confirm;
    const pi = await charge(client, customer.id, pm.id, true);
    const disputes = await client.disputes.list({ limit: 100 });
    expect(disputes.data.find((d) => d.charge === pi.latest_charge)).toMatchObject({ reason: "fraudulent", status: "needs_response", amount: 1999 });
    const events = await client.events.list({ type: "charge.dispute.created", limit: 100 });
    expect(events.data.some((e) => (e.data.object as Stripe.Dispute).charge === pi.latest_charge)).toBe(true);

    const plain = await charge(client, customer.id, (await client.paymentMethods.attach("pm_card_visa", { customer: customer.id })).id, true);
    const refund = await client.refunds.create({ payment_intent: plain.id, amount: 500 });
    expect(refund).toMatchObject({ amount: 500, status: "succeeded" });
    await expect(client.refunds.create({ payment_intent: plain.id, amount: 1500 })).rejects.toMatchObject({ code: "amount_too_large" });
    expect((await client.charges.retrieve(String(plain.latest_charge))).amount_refunded).toBe(500);
  });

  it("every test token behaves like its card number", async () => {
    for (const card of TEST_CARDS.filter((c) => c.token)) {
      const viaToken = await stripe().paymentMethods.retrieve(card.token!);
      expect(viaToken.card?.last4, card.token).toBe(card.number.slice(-4));
    }
  });
});

describe("local Stripe: payment method updates", () => {
  it("updates billing details and expiry, with payment_method.updated and its previous attributes", async () => {
    const client = stripe();
    const customer = await client.customers.create({});
    const pm = await client.paymentMethods.attach((await typedCard("5555555555554444")).id, { customer: customer.id });
    const updated = await client.paymentMethods.update(pm.id, { billing_details: { name: "Grace Hopper" }, card: { exp_month: 6, exp_year: EXP_YEAR() + 1 } });
    expect(updated.billing_details.name).toBe("Grace Hopper");
    expect(updated.card).toMatchObject({ exp_month: 6, exp_year: EXP_YEAR() + 1, last4: "4444" });
    const event = (await client.events.list({ type: "payment_method.updated", limit: 100 })).data.find((e) => (e.data.object as Stripe.PaymentMethod).id === pm.id)!;
    expect(event.data.previous_attributes).toMatchObject({ card: expect.objectContaining({ exp_month: 12 }) });
    await expect(client.paymentMethods.update(pm.id, { card: { exp_month: 13 } })).rejects.toMatchObject({ code: "invalid_expiry_month" });
    await expect(client.paymentMethods.update(pm.id, { card: { exp_year: yearOf() - 1 } })).rejects.toMatchObject({ code: "invalid_expiry_year" });
  });

  it("simulates the card updater: payment_method.automatically_updated with the new expiry", async () => {
    const client = stripe();
    const pm = await client.paymentMethods.attach("pm_card_visa", { customer: (await client.customers.create({})).id });
    const out = await control<{ event: string }>(`/__control/payment_methods/${pm.id}/automatically_update`, { exp_month: 3, exp_year: EXP_YEAR() + 4 });
    const event = await client.events.retrieve(out.event);
    expect(event.type).toBe("payment_method.automatically_updated");
    expect((event.data.object as Stripe.PaymentMethod).card).toMatchObject({ exp_month: 3, exp_year: EXP_YEAR() + 4 });
    expect((await client.paymentMethods.retrieve(pm.id)).card?.exp_year).toBe(EXP_YEAR() + 4);
  });
});

describe("local Stripe: idempotency and faults", () => {
  it("replays idempotent requests and refuses a reused key with other parameters", async () => {
    const client = stripe();
    const key = `ik_${crypto.randomUUID()}`;
    const first = await client.customers.create({ email: "a@example.test" }, { idempotencyKey: key });
    const replay = await client.customers.create({ email: "a@example.test" }, { idempotencyKey: key });
    expect(replay.id).toBe(first.id);
    const log = await control<Array<{ idempotencyKey: string | null; replayed?: boolean }>>("/__control/requests?api=stripe");
    expect(log.filter((e) => e.idempotencyKey === key).map((e) => !!e.replayed)).toEqual([false, true]);
    await expect(client.customers.create({ email: "b@example.test" }, { idempotencyKey: key })).rejects.toMatchObject({ type: "StripeIdempotencyError" });
  });

  it("a dropped answer after commit is recovered by replaying the same key (no double charge)", async () => {
    const client = stripe();
    const customer = await client.customers.create({});
    const tag = `drop-${crypto.randomUUID()}`;
    await control("/__control/faults", { dropAfterCommit: 1, match: tag });
    const key = `pi:${tag}`;
    const params = { amount: 4200, currency: "eur", customer: customer.id, payment_method: "pm_card_visa", confirm: true, metadata: { test: tag } };
    await expect(client.paymentIntents.create(params, { idempotencyKey: key })).rejects.toMatchObject({ type: "StripeConnectionError" });
    const again = await client.paymentIntents.create(params, { idempotencyKey: key });
    expect(again.status).toBe("succeeded");
    expect((await client.paymentIntents.list({ customer: customer.id })).data).toHaveLength(1);
  });

  it("a concurrent duplicate gets 409 while the first is in flight (latency knob)", async () => {
    const client = stripe();
    const tag = `slow-${crypto.randomUUID()}`;
    await control("/__control/faults", { latencyMs: 300, match: tag });
    const key = `ik_${tag}`;
    const first = client.customers.create({ metadata: { test: tag } }, { idempotencyKey: key });
    await new Promise((r) => setTimeout(r, 50));
    await expect(client.customers.create({ metadata: { test: tag } }, { idempotencyKey: key })).rejects.toMatchObject({ statusCode: 409, code: "idempotency_key_in_use" });
    expect((await first).id).toMatch(/^cus_/);
    await control("/__control/faults", {});
  });

  it("injects 500 and 429 in Stripe's shapes, without storing them for replay", async () => {
    const client = stripe();
    const tag = `fault-${crypto.randomUUID()}`;
    await control("/__control/faults", { fail500: 1, fail429: 1, match: tag });
    const key = `ik_${tag}`;
    await expect(client.customers.create({ metadata: { test: tag } }, { idempotencyKey: key })).rejects.toMatchObject({ type: "StripeAPIError", statusCode: 500 });
    await expect(client.customers.create({ metadata: { test: tag } }, { idempotencyKey: key })).rejects.toMatchObject({ type: "StripeRateLimitError", statusCode: 429, code: "rate_limit" });
    expect((await client.customers.create({ metadata: { test: tag } }, { idempotencyKey: key })).metadata.test).toBe(tag);
  });

  it("rate-limits one key per second when asked, and counts what it refused", async () => {
    const rk = stripeClient(LOCAL_STRIPE_KEYS.restrictedKey);
    await control("/__control/rate_limit", { perSecond: 2, burst: 2, key: LOCAL_STRIPE_KEYS.restrictedKey });
    try {
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => rk.balance.retrieve()));
      const limited = results.filter((r) => r.status === "rejected");
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
      expect(limited[0]).toMatchObject({ reason: { type: "StripeRateLimitError", code: "rate_limit" } });
      expect(await control("/__control/rate_limit")).toMatchObject({ limited: 4, allowed: 2 });
      // Other keys are not limited.
      expect((await stripe().balance.retrieve()).object).toBe("balance");
    } finally {
      await control("/__control/rate_limit", {});
    }
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
