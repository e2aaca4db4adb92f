/** Payment Info » Update, security: another tenant's card is 404 (and unchanged at Stripe), operators 403. */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { AddCardResult } from "../../../worker/contract/payments";
import { paymentMethods } from "../../../worker/db/schema";
import { yearOf } from "../../clock";
import { createWorld, db, type World } from "../../factories";
import { expectError } from "../../helpers";
import { stripeClient } from "../../local-stripe";
import { addCard, as, enableStripe, freshCustomer } from "./payment-helpers";

let world: World;
beforeAll(async () => {
  world = await createWorld();
  await enableStripe(world.admin.id);
});

describe("Update a card: who may", () => {
  it("another organization's card is not found and stays as it was at Stripe; operators get 403", async () => {
    const owner = await freshCustomer();
    const card = ((await addCard(owner.call, "4242424242424242")).body as Extract<AddCardResult, { status: "saved" }>).card;
    const body = { cardholderName: "Mallory", expiry: `01/${String((yearOf() + 6) % 100).padStart(2, "0")}` };
    const intruder = await freshCustomer();
    await expectError(await intruder.call("PUT", `/api/payment-info/cards/${card.id}`, body), 404, "NOT_FOUND");
    await expectError(await (await as(world.admin.id))("PUT", `/api/payment-info/cards/${card.id}`, body), 403, "FORBIDDEN");
    const r = (await db().select().from(paymentMethods).where(eq(paymentMethods.id, card.id)).get())!;
    expect(r.cardholderName).toBe("Ada Lovelace");
    const pm = await stripeClient().paymentMethods.retrieve(r.gatewayPaymentMethodId);
    expect(pm.billing_details.name).toBe("Ada Lovelace");
  });
});
