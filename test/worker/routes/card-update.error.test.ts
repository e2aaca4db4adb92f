/** Payment Info » Update, errors: the expiry as Stripe validates it, bad fields, a removed card, card data refused. */
import { beforeAll, describe, expect, it } from "vitest";
import type { AddCardResult } from "../../../worker/contract/payments";
import { monthFromNow } from "../../card-fixtures";
import { yearOf } from "../../clock";
import { createWorld } from "../../factories";
import { expectError } from "../../helpers";
import { addCard, enableStripe, freshCustomer } from "./payment-helpers";

beforeAll(async () => {
  const world = await createWorld();
  await enableStripe(world.admin.id);
});

const yy = (year: number) => String(year % 100).padStart(2, "0");

describe("Update a card: refusals", () => {
  it("a past expiry is refused by Stripe and shown on Expiry Date; nothing changes", async () => {
    const { call } = await freshCustomer();
    const card = ((await addCard(call, "4242424242424242")).body as Extract<AddCardResult, { status: "saved" }>).card;
    const past = monthFromNow(-1);
    const res = await call("PUT", `/api/payment-info/cards/${card.id}`, { cardholderName: "Ada Lovelace", expiry: `${String(past.month).padStart(2, "0")}/${yy(past.year)}` });
    const body = (await res.clone().json()) as { error: { fields: Record<string, string> } };
    await expectError(res, 400, "VALIDATION_FAILED");
    expect(body.error.fields.expiry).toMatch(/expiration (month|year) is invalid/);
    const after = (await (await call("GET", "/api/payment-info")).json()) as { cards: { expYear: number }[] };
    expect(after.cards[0]!.expYear).toBe(card.expYear);
  });

  it("field rules: name required, expiry as MM/YY, no other fields (card data is refused)", async () => {
    const { call } = await freshCustomer();
    const card = ((await addCard(call, "4242424242424242")).body as Extract<AddCardResult, { status: "saved" }>).card;
    const path = `/api/payment-info/cards/${card.id}`;
    const noName = await call("PUT", path, { cardholderName: " ", expiry: `12/${yy(yearOf() + 2)}` });
    expect(((await noName.clone().json()) as { error: { fields: Record<string, string> } }).error.fields.cardholderName).toBe("Enter the name on the card.");
    await expectError(noName, 400, "VALIDATION_FAILED");
    await expectError(await call("PUT", path, { cardholderName: "Ada", expiry: "13/30" }), 400, "VALIDATION_FAILED");
    await expectError(await call("PUT", path, { cardholderName: "Ada", expiry: `12/${yy(yearOf() + 2)}`, number: "4242424242424242", cvc: "123" }), 400, "VALIDATION_FAILED");
  });

  it("a removed card is not found", async () => {
    const { call } = await freshCustomer();
    const card = ((await addCard(call, "4242424242424242")).body as Extract<AddCardResult, { status: "saved" }>).card;
    expect((await call("DELETE", `/api/payment-info/cards/${card.id}`)).status).toBe(204);
    await expectError(await call("PUT", `/api/payment-info/cards/${card.id}`, { cardholderName: "Ada", expiry: `12/${yy(yearOf() + 2)}` }), 404, "NOT_FOUND");
  });
});
