/**
 * Webhooks of the local Stripe (test/fakes/stripe/webhooks.ts, ADR 016a): signed like Stripe so that
 * `stripe.webhooks.constructEventAsync` with the Web Crypto provider accepts them, delivered asynchronously with
 * retries and backoff, and the storm knobs (pause, ×N, shuffle, drop) later issues use. Each test has its own
 * endpoint pointing at its own sink and aims the knobs at that endpoint only.
 */
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { control, sink, stripeClient, type SinkRequest } from "../../local-stripe";

const crypto_ = Stripe.createSubtleCryptoProvider();
const stripe = () => stripeClient();

interface Endpoint {
  id: string;
  secret: string;
  url: string;
}
interface Delivery {
  event: string;
  status: string;
  attempts: { status: number | null }[];
  copy: number;
}

const created: string[] = [];
afterEach(async () => {
  for (const id of created.splice(0)) await control(`/__control/webhooks/endpoints/${id}`, undefined, "DELETE");
});

async function endpoint(url: string, events: string[], knobs: Record<string, unknown> = {}): Promise<Endpoint> {
  const e = await control<Endpoint>("/__control/webhooks/endpoints", { url, enabled_events: events });
  created.push(e.id);
  await control("/__control/webhooks", { endpoint: e.id, backoffMs: 20, backoffMaxMs: 100, ...knobs });
  return e;
}

const drain = (e: Endpoint) => control<{ idle: boolean }>("/__control/webhooks/drain", { endpoint: e.id, timeoutMs: 5_000 });
const deliveries = (e: Endpoint) => control<Delivery[]>(`/__control/webhooks/deliveries?target=${e.id}`);
const verify = (r: SinkRequest, secret: string) => stripe().webhooks.constructEventAsync(r.body, r.headers["stripe-signature"]!, secret, undefined, crypto_);

/** A customer who saves pm_card_visa through a SetupIntent: setup_intent.* and payment_method.attached events. */
async function saveCard() {
  const client = stripe();
  const customer = await client.customers.create({ email: "hooks@example.test" });
  const si = await client.setupIntents.create({ customer: customer.id });
  await client.setupIntents.confirm(si.id, { payment_method: "pm_card_visa" });
  return { customer, si };
}

describe("local Stripe webhooks", () => {
  it("signs every delivery so constructEventAsync accepts it, and refuses tampered, re-signed or stale copies", async () => {
    const s = sink("signed");
    const e = await endpoint(s.url, ["setup_intent.succeeded", "payment_method.attached"]);
    const { si } = await saveCard();
    expect((await drain(e)).idle).toBe(true);
    const received = await s.received();
    const events = await Promise.all(received.map((r) => verify(r, e.secret)));
    const mine = events.filter((ev) => ev.type === "setup_intent.succeeded" && (ev.data.object as Stripe.SetupIntent).id === si.id);
    expect(mine).toHaveLength(1);
    const customer = (mine[0]!.data.object as Stripe.SetupIntent).customer;
    expect(events.some((ev) => ev.type === "payment_method.attached" && (ev.data.object as Stripe.PaymentMethod).customer === customer)).toBe(true);
    const r = received[0]!;
    expect(r.headers["content-type"]).toContain("application/json");
    expect(r.headers["user-agent"]).toMatch(/^Stripe\/1\.0/);
    expect(r.headers["stripe-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    await expect(stripe().webhooks.constructEventAsync(r.body.replace('"livemode": false', '"livemode": true'), r.headers["stripe-signature"]!, e.secret, undefined, crypto_)).rejects.toThrow(/No signatures found matching/);
    await expect(stripe().webhooks.constructEventAsync(r.body, r.headers["stripe-signature"]!, "whsec_wrong", undefined, crypto_)).rejects.toThrow(/No signatures found matching/);
    const old = await control<{ payload: string; header: string }>("/__control/webhooks/sign", { payload: r.body, endpoint: e.id, timestamp: Math.floor(Date.now() / 1000) - 600 });
    await expect(stripe().webhooks.constructEventAsync(old.payload, old.header, e.secret, undefined, crypto_)).rejects.toThrow(/tolerance/);
    const fresh = await control<{ payload: string; header: string }>("/__control/webhooks/sign", { payload: r.body, endpoint: e.id });
    expect((await stripe().webhooks.constructEventAsync(fresh.payload, fresh.header, e.secret, undefined, crypto_)).id).toBe(JSON.parse(r.body).id);
  });

  it("retries a failing endpoint with backoff until it answers 2xx, signing each attempt afresh", async () => {
    const s = sink("retry");
    const e = await endpoint(s.url, ["customer.created"], { concurrency: 1 });
    await s.failNext(2, 503);
    const customer = await stripe().customers.create({ metadata: { hook: s.name } });
    await drain(e);
    const received = await s.received();
    expect(received.map((r) => r.answered)).toEqual([503, 503, 200]);
    expect(new Set(received.map((r) => r.body)).size).toBe(1); // the same event each time
    expect((await verify(received[2]!, e.secret)).data.object).toMatchObject({ id: customer.id });
    const [d] = await deliveries(e);
    expect(d).toMatchObject({ status: "succeeded", attempts: [{ status: 503 }, { status: 503 }, { status: 200 }] });
  });

  it("gives up after maxAttempts and reports the event as not delivered (delivery_success=false)", async () => {
    const s = sink("giveup");
    const e = await endpoint(s.url, ["customer.updated"], { maxAttempts: 3 });
    await s.failNext(10, 500);
    const customer = await stripe().customers.create({});
    await stripe().customers.update(customer.id, { name: "Never Delivered" });
    await drain(e);
    const [d] = await deliveries(e);
    expect(d!.status).toBe("failed");
    expect(d!.attempts).toHaveLength(3);
    const undelivered = await stripe().events.list({ type: "customer.updated", delivery_success: false, limit: 100 });
    expect(undelivered.data.map((ev) => ev.id)).toContain(d!.event);
  });

  it("pauses, then delivers every event N times in a shuffled order (a storm)", async () => {
    const s = sink("storm");
    const e = await endpoint(s.url, ["customer.created"], { paused: true, duplicates: 3, shuffle: true, seed: 42, concurrency: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await stripe().customers.create({ metadata: { storm: s.name } })).id);
    expect(await s.received()).toHaveLength(0);
    const pending = await deliveries(e);
    expect(pending.filter((d) => d.status === "pending")).toHaveLength(9);
    await control("/__control/webhooks/resume", { endpoint: e.id });
    await drain(e);
    const received = await s.received();
    const got = (await Promise.all(received.map((r) => verify(r, e.secret)))).map((ev) => (ev.data.object as Stripe.Customer).id);
    expect([...got].sort()).toEqual([...ids, ...ids, ...ids].sort());
    expect(got).not.toEqual([ids[0], ids[0], ids[0], ids[1], ids[1], ids[1], ids[2], ids[2], ids[2]]);
  });

  it("drops deliveries on request (missed events are found through the Events API) and can resend them", async () => {
    const s = sink("drop");
    const e = await endpoint(s.url, ["customer.created"], { dropNext: 1 });
    const customer = await stripe().customers.create({});
    await drain(e);
    expect(await s.received()).toHaveLength(0);
    const [d] = await deliveries(e);
    expect(d!.status).toBe("dropped");
    const missed = await stripe().events.list({ type: "customer.created", delivery_success: false, limit: 100 });
    const event = missed.data.find((ev) => (ev.data.object as Stripe.Customer).id === customer.id)!;
    expect(event).toBeTruthy();
    await control("/__control/webhooks/resend", { event: event.id, endpoint: e.id });
    await drain(e);
    expect((await verify((await s.received())[0]!, e.secret)).id).toBe(event.id);
  });

  it("webhook endpoints can be managed through Stripe's API; the secret is shown once", async () => {
    const s = sink("api");
    const made = await stripe().webhookEndpoints.create({ url: s.url, enabled_events: ["payment_intent.succeeded"] });
    created.push(made.id);
    expect(made.secret).toMatch(/^whsec_/);
    const seen = await stripe().webhookEndpoints.retrieve(made.id);
    expect(seen.secret).toBeUndefined();
    expect(seen.enabled_events).toEqual(["payment_intent.succeeded"]);
    const customer = await stripe().customers.create({});
    const pi = await stripe().paymentIntents.create({ amount: 500, currency: "usd", customer: customer.id, payment_method: "pm_card_visa", confirm: true });
    await control("/__control/webhooks/drain", { endpoint: made.id, timeoutMs: 5_000 });
    const events = await Promise.all((await s.received()).map((r) => verify(r, made.secret!)));
    expect(events.map((ev) => ev.type)).toEqual(["payment_intent.succeeded"]);
    expect(events[0]!.data.object).toMatchObject({ id: pi.id, status: "succeeded", amount: 500 });
    await stripe().webhookEndpoints.del(made.id);
    created.pop();
  });

  it("emits the events the payments work needs, in Stripe's shape", async () => {
    const s = sink("types");
    const e = await endpoint(s.url, ["*"]);
    const client = stripe();
    const customer = await client.customers.create({ metadata: { types: s.name } });
    const si = await client.setupIntents.create({ customer: customer.id });
    await expect(client.setupIntents.confirm(si.id, { payment_method: "pm_card_chargeDeclined" })).rejects.toThrow();
    const si2 = await client.setupIntents.create({ customer: customer.id });
    const setUp = await client.setupIntents.confirm(si2.id, { payment_method: "pm_card_visa" });
    const pm = String(setUp.payment_method);
    await client.paymentMethods.update(pm, { billing_details: { name: "New Name" } });
    const paid = await client.paymentIntents.create({ amount: 1000, currency: "eur", customer: customer.id, payment_method: pm, confirm: true, off_session: true });
    await client.refunds.create({ payment_intent: paid.id });
    const sca = await client.paymentIntents.create({ amount: 1000, currency: "eur", customer: customer.id, payment_method: "pm_card_authenticationRequired", confirm: true });
    expect(sca.status).toBe("requires_action");
    await expect(client.paymentIntents.create({ amount: 1000, currency: "eur", customer: customer.id, payment_method: "pm_card_chargeDeclinedInsufficientFunds", confirm: true })).rejects.toThrow();
    await client.paymentMethods.detach(pm);
    await drain(e);
    const events = await Promise.all((await s.received()).map((r) => verify(r, e.secret)));
    const mine = events.filter((ev) => {
      const o = ev.data.object as { id: string; customer?: string | null; payment_intent?: string };
      return o.id === customer.id || o.customer === customer.id || o.id === pm || o.payment_intent === paid.id;
    });
    const types = new Set(mine.map((ev) => ev.type));
    for (const t of [
      "setup_intent.setup_failed",
      "setup_intent.succeeded",
      "payment_method.attached",
      "payment_method.updated",
      "payment_method.detached",
      "payment_intent.succeeded",
      "payment_intent.requires_action",
      "payment_intent.payment_failed",
      "charge.refunded",
    ]) {
      expect(types, t).toContain(t);
    }
    const first = mine[0]!;
    expect(first).toMatchObject({ object: "event", livemode: false, api_version: expect.any(String), pending_webhooks: expect.any(Number) });
  });
});
