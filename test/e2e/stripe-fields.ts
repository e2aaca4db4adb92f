/** Add a Card in Chromium: Stripe.js's hosted fields (iframes of the local Stripe's origin), found by our labels. */
import type { Page } from "playwright-core";

const EXPIRY = `12${String((new Date().getUTCFullYear() + 4) % 100).padStart(2, "0")}`;

/** Types into Stripe.js's fields with the keyboard, each found from our page's label (the frame's name). */
export async function typeCard(page: Page, number: string): Promise<void> {
  for (const [title, value] of [["Card Number", number], ["Expiry Date", EXPIRY], ["CVV Code", "123"]] as const) {
    await page.frameLocator(`iframe[title="${title}"]`).getByLabel(title).click();
    await page.keyboard.type(value);
  }
}

export async function addCard(page: Page, number: string): Promise<void> {
  await page.getByRole("button", { name: "Add a Card" }).click();
  const drawer = page.getByRole("dialog", { name: "Add a Card" });
  await drawer.getByLabel("Cardholder Name").fill("Erin Example");
  await typeCard(page, number);
  await drawer.getByRole("button", { name: "Save" }).click();
}
