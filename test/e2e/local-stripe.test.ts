/**
 * The local Stripe's Stripe.js and the ADPAY hosted page in Chromium (ADR 016a/016b), through the demo merchant
 * pages the local Stripe serves (/__demo/…): the page is on 127.0.0.1, Stripe.js and its card fields on
 * localhost — two origins, as a portal and js.stripe.com are. Cards are typed with the keyboard into the iframe
 * fields; the parent page must never be able to read them, and no message it receives carries them.
 */
import { describe, expect, inject, test } from "vitest";
import type { FrameLocator, Page } from "playwright-core";
import { useBrowser } from "./harness";

const b = useBrowser();
const port = () => inject("stripePort");
const demo = (path: string) => `http://127.0.0.1:${port()}${path}`;
const EXPIRY = `12${String((new Date().getUTCFullYear() + 4) % 100).padStart(2, "0")}`;

/** Records, in the page (not in the frames), every message it receives. */
async function recordMessages(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (window.top !== window) return;
    const w = window as unknown as { __messages: string[] };
    w.__messages = [];
    window.addEventListener("message", (e) => w.__messages.push(JSON.stringify(e.data)), true);
  });
}
const messages = (page: Page) => page.evaluate(() => (window as unknown as { __messages: string[] }).__messages);

const frame = (page: Page, title: string): FrameLocator => page.frameLocator(`iframe[title="${title}"]`);

/** Types a card with the keyboard: into the number field from its label, then Tab to expiry and CVC. */
async function typeCard(page: Page, number: string, expiry = EXPIRY, cvc = "123"): Promise<void> {
  for (const [title, value] of [["Card Number", number], ["Expiry Date", expiry], ["CVV Code", cvc]] as const) {
    const input = frame(page, title).getByLabel(title);
    await input.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    await page.keyboard.type(value);
  }
}

async function save(page: Page): Promise<{ text: string; outcome: string | null; code: string | null }> {
  const result = page.locator("#result");
  await page.evaluate(() => document.querySelector("#result")!.removeAttribute("data-outcome"));
  await page.getByRole("button", { name: /^(Save|Pay)$/ }).click();
  await page.waitForFunction(() => document.querySelector("#result")?.hasAttribute("data-outcome"), null, { timeout: 15_000 });
  return { text: (await result.textContent()) ?? "", outcome: await result.getAttribute("data-outcome"), code: await result.getAttribute("data-code") };
}

async function openDemo(page: Page, path = "/__demo/setup"): Promise<void> {
  await page.goto(demo(path));
  await page.getByLabel("Cardholder Name").fill("Ada Lovelace");
  await expect.poll(() => page.frames().filter((f) => f.url().includes("/v3/elements/frame.html")).length).toBe(3);
}

describe("local Stripe.js in Chromium", () => {
  test("saves 4242 typed into the iframe fields; the page can neither read the card nor hear it", async () => {
    const { page } = b;
    await recordMessages(page);
    await openDemo(page);
    // Keyboard only: from the cardholder name, Tab walks into each card frame.
    // Focus moves into a cross-origin frame a moment after Tab: type only once the field has it (a keystroke sent
    // earlier is lost, and "242…" reads as a Mastercard).
    const tabInto = async (field: string) => {
      await page.keyboard.press("Tab");
      await expect.poll(() => frame(page, field).locator("input:focus").count()).toBe(1);
    };
    await page.getByLabel("Cardholder Name").focus();
    await tabInto("Card Number");
    await page.keyboard.type("4242424242424242");
    await tabInto("Expiry Date");
    await page.keyboard.type(EXPIRY);
    await tabInto("CVV Code");
    await page.keyboard.type("123");
    await expect.poll(() => page.locator("#brand").textContent()).toBe("visa");
    await expect.poll(() => frame(page, "Card Number").getByLabel("Card Number").inputValue()).toBe("4242 4242 4242 4242");

    const result = await save(page);
    expect(result).toMatchObject({ text: "Card saved (succeeded).", outcome: "succeeded" });
    await expect.poll(() => page.locator("#cards li").allTextContents()).toEqual([`visa ending in 4242, expires 12/20${EXPIRY.slice(2)}`]);

    // The page's own JavaScript cannot reach into the card frames (another origin).
    const reach = await page.evaluate(() =>
      Array.from(document.querySelectorAll("iframe")).map((f) => {
        let inner = "readable";
        try {
          inner = String(f.contentWindow!.document.body.innerHTML.length);
        } catch (e) {
          inner = (e as Error).name;
        }
        return { doc: f.contentDocument === null, inner, src: new URL(f.src).origin };
      }),
    );
    expect(reach).toHaveLength(3);
    for (const r of reach) expect(r).toEqual({ doc: true, inner: "SecurityError", src: `http://localhost:${port()}` });
    // Nor is it anywhere in the page's DOM (the demo's hint text about test cards aside).
    const dom = await page.evaluate(() => {
      const copy = document.documentElement.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".note").forEach((n) => n.remove());
      return copy.outerHTML;
    });
    expect(dom).not.toMatch(/4242\s?4242\s?4242/);

    // Every message the page received: metadata only, no card number or CVC, no long digit runs.
    const heard = await messages(page);
    expect(heard.length).toBeGreaterThan(5);
    for (const m of heard) {
      expect(m).not.toMatch(/\d{13,}/);
      expect(m).not.toMatch(/"(number|cvc)"\s*:/);
      expect(m).not.toContain("4242 4242");
    }
    expect(heard.some((m) => m.includes('"brand":"visa"') && m.includes('"complete":true'))).toBe(true);

    // The card left from the card frame's origin, straight to the local Stripe.
    const log = (await (await fetch(`http://127.0.0.1:${port()}/__control/requests?api=stripe`)).json()) as Array<{ method: string; path: string; origin: string | null; params: { card?: { number?: string } } }>;
    const tokenised = log.filter((e) => e.method === "POST" && e.path === "/v1/payment_methods" && e.params.card?.number === "…4242");
    expect(tokenised.length).toBeGreaterThan(0);
    expect(tokenised.at(-1)!.origin).toBe(`http://localhost:${port()}`);
    expect(b.errors).toEqual([]);
  });

  test("labels name the frames; a label click focuses its field; errors show as the customer types", async () => {
    const { page } = b;
    await openDemo(page);
    for (const title of ["Card Number", "Expiry Date", "CVV Code"]) {
      await expect.poll(() => frame(page, title).getByLabel(title).count()).toBe(1);
    }
    await page.locator('label[for="card-number"]').click();
    await expect.poll(() => frame(page, "Card Number").locator("input:focus").count()).toBe(1);

    await page.keyboard.type("4242424242424241");
    await expect.poll(() => page.locator("#field-error").textContent()).toBe("Your card number is invalid.");
    await expect.poll(() => frame(page, "Card Number").getByLabel("Card Number").getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => page.locator("#card-number").getAttribute("class")).toContain("StripeElement--invalid");

    await typeCard(page, "378282246310005", "1220", "12");
    await expect.poll(() => page.locator("#field-error").textContent()).toBe("Your card's expiration year is in the past.");
    await frame(page, "Expiry Date").getByLabel("Expiry Date").fill("");
    await frame(page, "Expiry Date").getByLabel("Expiry Date").pressSequentially(EXPIRY);
    await frame(page, "CVV Code").getByLabel("CVV Code").click();
    await page.keyboard.press("Tab"); // leave the CVC incomplete (Amex needs 4 digits)
    await expect.poll(() => page.locator("#field-error").textContent()).toBe("Your card's security code is incomplete.");
    const result = await save(page);
    expect(result).toMatchObject({ outcome: "error", code: "incomplete_cvc" });
    expect(b.errors).toEqual([]);
  });

  test("declined test cards show Stripe's messages and codes", async () => {
    const { page } = b;
    await openDemo(page);
    const cases: Array<[string, string, string]> = [
      ["4000000000000002", "Your card was declined.", "generic_decline"],
      ["4000000000009995", "Your card has insufficient funds.", "insufficient_funds"],
      ["4000000000009979", "Your card was declined.", "stolen_card"],
      ["4000000000009987", "Your card was declined.", "lost_card"],
      ["4100000000000019", "Your card was declined.", "fraudulent"],
    ];
    for (const [number, text, code] of cases) {
      await typeCard(page, number);
      expect(await save(page), number).toEqual({ text, outcome: "error", code });
    }
    await typeCard(page, "5555555555554444");
    expect((await save(page)).outcome).toBe("succeeded");
    await expect.poll(() => page.locator("#cards li").allTextContents()).toEqual([expect.stringMatching(/^mastercard ending in 4444/)]);
  });

  test("3-D Secure: the challenge modal completes or fails the setup", async () => {
    const { page } = b;
    await openDemo(page);
    await typeCard(page, "4000002500003155");
    const saving = save(page);
    const dialog = page.getByRole("dialog", { name: "3D Secure authentication" });
    await dialog.waitFor();
    await frame(page, "3D Secure authentication challenge").getByRole("button", { name: "Complete authentication" }).click();
    expect(await saving).toMatchObject({ text: "Card saved (succeeded).", outcome: "succeeded" });
    await expect.poll(() => dialog.count()).toBe(0);

    await typeCard(page, "4000002500003155");
    const failing = save(page);
    await dialog.waitFor();
    const challenge = frame(page, "3D Secure authentication challenge");
    // Keyboard: the challenge's first button has focus; Tab to "Fail authentication" and press Enter.
    await challenge.getByRole("button", { name: "Fail authentication" }).focus();
    await page.keyboard.press("Enter");
    expect(await failing).toEqual({
      text: "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
      outcome: "error",
      code: "setup_intent_authentication_failure",
    });
    await expect.poll(() => page.locator("#cards li").count()).toBe(1);
    expect(b.errors).toEqual([]);
  });

  test("confirmCardPayment with 3-D Secure pays after the challenge", async () => {
    const { page } = b;
    await openDemo(page, "/__demo/payment?amount=2500&currency=eur");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Pay 25.00 EUR");
    await typeCard(page, "4000002760003184");
    const paying = save(page);
    await page.getByRole("dialog", { name: "3D Secure authentication" }).waitFor();
    await frame(page, "3D Secure authentication challenge").getByRole("button", { name: "Complete authentication" }).click();
    expect(await paying).toMatchObject({ text: "Payment succeeded.", outcome: "succeeded" });
  });
});

describe("ADPAY sandbox in Chromium", () => {
  async function toHostedPage(page: Page): Promise<void> {
    await page.goto(demo("/__demo/adpay"));
    await page.getByRole("button", { name: "Pay with ADPAY" }).click();
    await page.waitForURL(/\/adpay\/pay\/adp_/);
    expect(new URL(page.url()).origin).toBe(`http://localhost:${port()}`);
  }
  async function payWith(page: Page, number: string): Promise<void> {
    await page.getByLabel("Cardholder Name").fill("Ada Lovelace");
    await page.getByLabel("Card Number").fill("");
    await page.getByLabel("Card Number").pressSequentially(number);
    await page.getByLabel("Expiry Date").fill(`${EXPIRY.slice(0, 2)}/${EXPIRY.slice(2)}`);
    await page.getByLabel("CVV Code").fill("123");
    await page.getByRole("button", { name: "Pay 12.34 EUR" }).click();
  }

  test("pays on the hosted page and comes back with a verified result and a verified callback", async () => {
    const { page } = b;
    await toHostedPage(page);
    await payWith(page, "4000000000000002");
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("Your card was declined. Try another card.");
    await payWith(page, "4242424242424242");
    await page.waitForURL(/\/__demo\/adpay\/return/);
    expect(await page.locator("#return-signature").textContent()).toBe("Return signature: verified");
    expect(await page.locator("#query-status").textContent()).toBe("Status from the status query: succeeded, visa ending in 4242, 12.34 EUR");
    const paymentId = new URL(page.url()).searchParams.get("payment_id")!;
    await fetch(`http://127.0.0.1:${port()}/__control/adpay/callbacks/drain`, { method: "POST", body: "{}" });
    const callbacks = (await (await fetch(`http://127.0.0.1:${port()}/__demo/adpay/callbacks`)).json()) as Array<{ payment_id: string; type: string; verified: boolean }>;
    expect(callbacks.filter((c) => c.payment_id === paymentId)).toEqual([expect.objectContaining({ type: "payment.succeeded", verified: true })]);
  });

  test("3-D Secure on the hosted page, and cancelling returns a cancelled result", async () => {
    const { page } = b;
    await toHostedPage(page);
    await payWith(page, "4000002500003155");
    await page.getByRole("button", { name: "Complete authentication" }).click();
    await page.waitForURL(/\/__demo\/adpay\/return/);
    expect(await page.locator("#query-status").textContent()).toMatch(/^Status from the status query: succeeded, visa ending in 3155/);

    await toHostedPage(page);
    await page.getByRole("button", { name: "Cancel and return to the merchant" }).click();
    await page.waitForURL(/\/__demo\/adpay\/return/);
    expect(await page.locator("#return-status").textContent()).toBe("Status from the redirect: cancelled");
    expect(await page.locator("#return-signature").textContent()).toBe("Return signature: verified");
  });
});

