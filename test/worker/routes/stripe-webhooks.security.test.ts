/** Stripe webhooks, security: tampered, stale, wrong-secret and unsigned deliveries get 400 and leave no row. */
import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { paymentEvents } from "../../../worker/db/schema";
import { createWorld, db } from "../../factories";
import { expectError, testClient } from "../../helpers";
import { LOCAL_STRIPE_KEYS } from "../../local-stripe";
import { enableStripe } from "./payment-helpers";

const event = (id: string) => ({ id, object: "event", type: "payment_method.updated", created: Math.floor(Date.now() / 1000), data: { object: { id: "pm_x", object: "payment_method" } } });

async function post(payload: string, header: string | null): Promise<Response> {
  return testClient().request("POST", "/api/webhooks/stripe", { rawBody: payload, headers: header ? { "stripe-signature": header } : {} });
}
const sign = (payload: string, secret: string = LOCAL_STRIPE_KEYS.webhookSecret, timestamp?: number) =>
  Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp, cryptoProvider: Stripe.createSubtleCryptoProvider() });

describe("webhook signatures", () => {
  it("before Stripe is configured every delivery is refused", async () => {
    const payload = JSON.stringify(event("evt_unconfigured"));
    await expectError(await post(payload, await sign(payload)), 400, "VALIDATION_FAILED");
  });

  describe("with Stripe configured", () => {
    beforeAll(async () => {
      const world = await createWorld();
      await enableStripe(world.admin.id);
    });

    it("a tampered body, a wrong secret, a stale timestamp or no header: 400, nothing stored", async () => {
      const payload = JSON.stringify(event("evt_attack"));
      const good = await sign(payload);
      const cases: Array<[string, string | null]> = [
        [payload.replace("payment_method.updated", "payment_method.detached"), good],
        [payload, await sign(payload, "whsec_wrong_secret_123456")],
        [payload, await sign(payload, undefined, Math.floor(Date.now() / 1000) - 301)],
        [payload, null],
        [payload, "t=1,v1=deadbeef"],
      ];
      for (const [body, header] of cases) await expectError(await post(body, header), 400, "VALIDATION_FAILED");
      expect(await db().select().from(paymentEvents)).toEqual([]);
    });

    it("a replayed event is acknowledged as a duplicate and stored once", async () => {
      const payload = JSON.stringify(event("evt_replayed"));
      const first = await post(payload, await sign(payload));
      expect(await first.json()).toEqual({ received: true, duplicate: false });
      const again = await post(payload, await sign(payload));
      expect(await again.json()).toEqual({ received: true, duplicate: true });
      expect((await db().select().from(paymentEvents)).filter((e) => e.eventId === "evt_replayed")).toHaveLength(1);
    });
  });
});
