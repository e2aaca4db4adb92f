/**
 * Email settings in Chromium, following email.txt step by step as the Cloud-Admin: SMTP Configuration set and
 * tested (drawer), a template edited with a logo and tags, the "Click Here" tags drawer, a test email received
 * with the tags filled in, Delivery Configuration saved, the Email Log showing the sends. And an XSS corpus as
 * template HTML and as tag values never executes, neither in the portal nor in the received mail.
 */
import { describe, expect, inject, test } from "vitest";
import type { Page } from "playwright-core";
import { useBrowser, mainNav, signInAs } from "./harness";
import { XSS_CORPUS } from "../xss-corpus";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
const TIMEOUT = 15_000;
const EXPECTED_RESOURCE_ERROR = /Failed to load resource: the server responded with a status of (400|401)/;
const unexpected = (errors: string[]) => errors.filter((e) => !EXPECTED_RESOURCE_ERROR.test(e));

interface SinkMessage {
  envelope: { from: string | null; to: string[] };
  subject: string | null;
  html: string | null;
  text: string | null;
  hasBccHeader: boolean;
}

async function mailTo(address: string): Promise<SinkMessage[]> {
  const res = await fetch(`http://127.0.0.1:${inject("smtpControlPort")}/messages`);
  return ((await res.json()) as SinkMessage[]).filter((m) => m.envelope.to.includes(address));
}

async function waitForMail(address: string, count = 1): Promise<SinkMessage[]> {
  const until = Date.now() + TIMEOUT;
  for (;;) {
    const got = await mailTo(address);
    if (got.length >= count || Date.now() > until) return got;
    await new Promise((r) => setTimeout(r, 200));
  }
}



/** Records any XSS payload that runs in this page (payloads call `__xss(n)`). */
async function trapXss(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __xssCalls: unknown[]; __xss: (n: unknown) => void; alert: (m?: unknown) => void };
    w.__xssCalls = [];
    w.__xss = (n) => void w.__xssCalls.push(n);
    w.alert = (m) => void w.__xssCalls.push(`alert:${String(m)}`);
  });
}
const xssCalls = (page: Page) => page.evaluate(() => (window as unknown as { __xssCalls: unknown[] }).__xssCalls);

const unique = () => Math.random().toString(36).slice(2, 10);
const PNG_1PX = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

describe("email settings", () => {
  const b = useBrowser();

  test("SMTP Configuration: Done saves; the Send Test Email drawer sends and shows the server's answer", async () => {
    await signInAs(b.page, ADMIN);
    await mainNav(b.page).getByRole("link", { name: "SMTP Configuration" }).click();
    await b.page.getByRole("heading", { name: "SMTP Configuration", level: 1 }).waitFor({ timeout: TIMEOUT });
    // Preconfigured with the development sink (SMTP_HOST).
    expect(await b.page.getByLabel("SMTP Host").inputValue()).toBe("127.0.0.1");
    await b.page.getByLabel("Port").fill("25");
    await b.page.getByText("Port 25 is blocked on Cloudflare").waitFor({ timeout: TIMEOUT });
    await b.page.getByLabel("SMTP Host").fill("169.254.169.254");
    await b.page.getByRole("button", { name: "Done" }).click();
    await b.page.getByText(/cloud metadata address/).waitFor({ timeout: TIMEOUT });
    // Back to the sink, from the development default.
    await b.page.reload();
    await b.page.getByLabel("SMTP Host").waitFor({ timeout: TIMEOUT });
    await b.page.getByLabel("Sender name").fill("Cumulus Billing");
    await b.page.getByLabel("Sender address").fill("billing@cumulus.example");
    await b.page.getByRole("button", { name: "Done" }).click();
    await b.page.getByText("SMTP settings saved.").waitFor({ timeout: TIMEOUT });

    await b.page.getByRole("button", { name: "Send Test Email" }).click();
    const drawer = b.page.getByRole("dialog", { name: "Send Test Email" });
    await drawer.waitFor({ timeout: TIMEOUT });
    const to = `smtp-e2e-${unique()}@example.test`;
    await drawer.getByLabel("Recipient").fill(to);
    await drawer.getByLabel("Sender address").fill("ops@cumulus.example");
    await drawer.getByLabel("Message").fill("Checking the SMTP settings");
    await drawer.getByRole("button", { name: "Send Test Email" }).click();
    await drawer.getByText("Test email sent.").waitFor({ timeout: TIMEOUT });
    expect(await drawer.getByText(/Accepted by 127\.0\.0\.1:\d+: 250/).count()).toBe(1);
    const [mail] = await waitForMail(to);
    expect(mail!.envelope.from).toBe("ops@cumulus.example");
    expect(mail!.text).toContain("Checking the SMTP settings");
    await b.page.keyboard.press("Escape");
    await drawer.waitFor({ state: "hidden", timeout: TIMEOUT });
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("a template edited with a logo and tags; Click Here lists the tags; the test email arrives with the tags filled in", async () => {
    await signInAs(b.page, ADMIN);
    await mainNav(b.page).getByRole("link", { name: "Email Templates" }).click();
    await b.page.getByRole("link", { name: "Edit Invoice Issued" }).click();
    await b.page.getByRole("heading", { name: "Edit Email Template: Invoice Issued" }).waitFor({ timeout: TIMEOUT });

    await b.page.getByRole("button", { name: "Click Here" }).click();
    const tags = b.page.getByRole("dialog", { name: "Dynamic Tags" });
    await tags.waitFor({ timeout: TIMEOUT });
    await tags.getByText("{{invoice.total}}").waitFor();
    await tags.getByText("Example: €120.54").first().waitFor();
    await tags.getByRole("button", { name: "Copy {{invoice.total}}" }).click();
    await tags.getByRole("button", { name: "Cancel" }).click();
    await tags.waitFor({ state: "hidden", timeout: TIMEOUT });

    // An unknown tag is refused, naming it.
    await b.page.getByLabel("Subject").fill("Invoice {{invoice.numbr}}");
    await b.page.getByRole("button", { name: "Save" }).click();
    await b.page.getByText("Unknown tag: {{invoice.numbr}}", { exact: false }).first().waitFor({ timeout: TIMEOUT });

    await b.page.getByLabel("Subject").fill("Invoice {{invoice.number}} for {{organization.name}}");
    await b.page.getByLabel("HTML body", { exact: true }).fill('<h1 style="color:{{brand.heading_color}}">Invoice {{invoice.number}}</h1><img src="{{platform.logo_url}}" alt="Logo"><p>Total: {{invoice.total}}</p>');
    await b.page.getByLabel("Plain text").fill("Invoice {{invoice.number}}: {{invoice.total}}");
    await b.page.getByLabel("Heading colour").fill("#aa0000");
    await b.page.getByLabel("Upload logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG_1PX });
    await expect.poll(() => b.page.getByLabel("Logo", { exact: true }).inputValue(), { timeout: TIMEOUT }).toMatch(/^img_/);
    const preview = b.page.frameLocator('iframe[title="Email preview"]');
    await preview.getByText("Total: €120.54").waitFor({ timeout: TIMEOUT });
    expect(await b.page.getByTestId("preview-subject").textContent()).toBe("Invoice INV-2026-000123 for Brightwater Logistics Ltd");
    await b.page.getByRole("button", { name: "Save" }).click();
    await b.page.getByText(/Saved as version \d+\./).waitFor({ timeout: TIMEOUT });

    await b.page.getByRole("button", { name: "Send Test Email" }).click();
    const drawer = b.page.getByRole("dialog", { name: "Send Test Email" });
    await drawer.waitFor({ timeout: TIMEOUT });
    const to = `tpl-e2e-${unique()}@example.test`;
    await drawer.getByLabel("Recipient").fill(to);
    await drawer.getByRole("button", { name: "Send" }).click();
    await drawer.getByText("Test email sent.").waitFor({ timeout: TIMEOUT });
    await drawer.getByRole("button", { name: "Cancel" }).click();
    const [mail] = await waitForMail(to);
    expect(mail!.subject).toBe("[Test] Invoice INV-2026-000123 for Brightwater Logistics Ltd");
    expect(mail!.html).toContain("Total: €120.54");
    expect(mail!.html).toContain('style="color:#aa0000"');
    const logo = mail!.html!.match(/src="([^"]*\/api\/email-assets\/img_[^"]+)"/)?.[1];
    expect(logo).toBeTruthy();
    // The logo URL really serves the image, without a session.
    const img = await fetch(logo!);
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");

    // Versions: save once more, then restore the previous one.
    await b.page.getByLabel("Subject").fill("Second version {{invoice.number}}");
    await b.page.getByRole("button", { name: "Save" }).click();
    await b.page.getByText(/Saved as version \d+\./).waitFor({ timeout: TIMEOUT });
    await b.page.getByRole("button", { name: /^Restore version/ }).first().click();
    await b.page.getByRole("dialog", { name: "Restore this version?" }).getByRole("button", { name: "Restore" }).click();
    await b.page.getByText(/restored as version/).waitFor({ timeout: TIMEOUT });
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("the drawers work with the keyboard only: focus moves in, Tab stays inside, Escape closes and returns focus", async () => {
    await signInAs(b.page, ADMIN);
    await b.page.goto("/email/templates/card.blocked");
    const clickHere = b.page.getByRole("button", { name: "Click Here" });
    await clickHere.focus();
    await b.page.keyboard.press("Enter");
    const drawer = b.page.getByRole("dialog", { name: "Dynamic Tags" });
    await drawer.waitFor({ timeout: TIMEOUT });
    const focusInDrawer = () => b.page.evaluate(() => !!document.activeElement?.closest("dialog[open]"));
    await expect.poll(focusInDrawer, { timeout: TIMEOUT }).toBe(true);
    for (let i = 0; i < 60; i++) await b.page.keyboard.press("Tab");
    expect(await focusInDrawer()).toBe(true);
    await b.page.keyboard.press("Shift+Tab");
    expect(await focusInDrawer()).toBe(true);
    await b.page.keyboard.press("Escape");
    await drawer.waitFor({ state: "hidden", timeout: TIMEOUT });
    await expect.poll(() => b.page.evaluate(() => document.activeElement?.textContent), { timeout: TIMEOUT }).toBe("Click Here");
    await b.page.waitForTimeout(200); // the dialog's close event (which restores focus) has run

    // Send Test Email with the keyboard (the next button in the footer): the Recipient field has focus.
    await b.page.keyboard.press("Tab");
    expect(await b.page.evaluate(() => document.activeElement?.textContent)).toBe("Send Test Email");
    await b.page.keyboard.press("Enter");
    const test = b.page.getByRole("dialog", { name: "Send Test Email" });
    await test.waitFor({ timeout: TIMEOUT });
    await expect.poll(() => b.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.id), { timeout: TIMEOUT }).toBe("test-to");
    const to = `kbd-${unique()}@example.test`;
    await b.page.keyboard.press("Control+A");
    await b.page.keyboard.type(to);
    await b.page.keyboard.press("Enter");
    await test.getByText("Test email sent.").waitFor({ timeout: TIMEOUT });
    expect(await waitForMail(to)).toHaveLength(1);
  });

  test("Delivery Configuration lists every type; invalid BCC addresses are refused per field; Save stores the rules", async () => {
    await signInAs(b.page, ADMIN);
    await mainNav(b.page).getByRole("link", { name: "Delivery Configuration" }).click();
    await b.page.getByRole("heading", { name: "Delivery Configuration", level: 1 }).waitFor({ timeout: TIMEOUT });
    // The heading comes before the rules: wait for the table's last type before counting its rows.
    await b.page.getByRole("row").filter({ hasText: "Test Email (SMTP)" }).waitFor({ timeout: TIMEOUT });
    expect(await b.page.getByRole("row").count()).toBeGreaterThan(16);
    expect(await b.page.getByLabel("Send Password Changed to all customers/resellers").isDisabled()).toBe(true);
    await b.page.getByLabel("Send Dunning Warning to all customers/resellers").uncheck();
    await b.page.getByLabel("BCC Dunning Warning to me").check();
    await b.page.getByLabel("BCC Dunning Warning to", { exact: true }).fill("collections@cumulus.example, not-an-address");
    await b.page.getByRole("button", { name: "Save" }).click();
    // The message names the address at fault, under its row; the summary names the email type.
    await b.page.locator("#bccto-dunning\\.warning-error").filter({ hasText: "“not-an-address” is not a valid email address." }).waitFor({ timeout: TIMEOUT });
    await b.page.getByRole("alert").getByText("Dunning Warning, BCC to: “not-an-address” is not a valid email address.").waitFor();
    await b.page.getByLabel("BCC Dunning Warning to", { exact: true }).fill("collections@cumulus.example");
    await b.page.getByRole("button", { name: "Save" }).click();
    await b.page.getByText("Delivery settings saved.").waitFor({ timeout: TIMEOUT });
    await b.page.reload();
    await b.page.getByLabel("BCC Dunning Warning to", { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(await b.page.getByLabel("Send Dunning Warning to all customers/resellers").isChecked()).toBe(false);
    expect(await b.page.getByLabel("BCC Dunning Warning to", { exact: true }).inputValue()).toBe("collections@cumulus.example");
  });

  test("the Email Log shows every send with status, attempts and content in a sandboxed frame; filters work", async () => {
    await signInAs(b.page, ADMIN);
    await b.page.goto("/email/smtp");
    await b.page.getByRole("button", { name: "Send Test Email" }).click();
    const drawer = b.page.getByRole("dialog", { name: "Send Test Email" });
    const to = `log-e2e-${unique()}@example.test`;
    await drawer.getByLabel("Recipient").fill(to);
    await drawer.getByRole("button", { name: "Send Test Email" }).click();
    await drawer.getByText("Test email sent.").waitFor({ timeout: TIMEOUT });
    await b.page.keyboard.press("Escape");

    await mainNav(b.page).getByRole("link", { name: "Email Log" }).click();
    await b.page.getByLabel("Search recipient or subject").fill(to);
    await b.page.getByLabel("Status").selectOption("sent");
    await b.page.getByRole("button", { name: "Apply filters" }).click();
    await b.page.waitForURL(/status=sent/, { timeout: TIMEOUT });
    const row = b.page.getByRole("row", { name: new RegExp(to) });
    await row.waitFor({ timeout: TIMEOUT });
    await expect.poll(() => b.page.getByRole("row").count(), { timeout: TIMEOUT }).toBe(2);
    await row.getByRole("link").click();
    await b.page.getByText("Message-ID").waitFor({ timeout: TIMEOUT });
    const frame = b.page.locator('iframe[title="Email content"]');
    expect(await frame.getAttribute("sandbox")).toBe("");
    await b.page.frameLocator('iframe[title="Email content"]').getByText(/This is a test email/).waitFor({ timeout: TIMEOUT });
  });

  test("an XSS corpus as template HTML and as tag values never executes (portal, preview, log, received mail)", async () => {
    await trapXss(b.page);
    await signInAs(b.page, ADMIN);
    await b.page.goto("/email/templates/payment.failed");
    await b.page.getByLabel("HTML body", { exact: true }).waitFor({ timeout: TIMEOUT });
    const corpus = XSS_CORPUS.join("\n");
    await b.page.getByLabel("HTML body", { exact: true }).fill(`<p>Amount {{payment.amount}}</p>\n${corpus}`);
    await b.page.getByLabel("Subject").fill("XSS check");
    await b.page.getByRole("button", { name: "Save" }).click();
    await b.page.getByText(/Some HTML was removed/).waitFor({ timeout: TIMEOUT });
    await b.page.getByRole("button", { name: "Send Test Email" }).click();
    const drawer = b.page.getByRole("dialog", { name: "Send Test Email" });
    const toTemplate = `xss-tpl-${unique()}@example.test`;
    await drawer.getByLabel("Recipient").fill(toTemplate);
    await drawer.getByRole("button", { name: "Send" }).click();
    await drawer.getByText(/Test email (sent|was not sent)/).waitFor({ timeout: TIMEOUT });
    await b.page.keyboard.press("Escape");

    // The corpus as a tag value: the SMTP test's message content fills {{test.message}}.
    await b.page.goto("/email/smtp");
    await b.page.getByRole("button", { name: "Send Test Email" }).click();
    const smtpDrawer = b.page.getByRole("dialog", { name: "Send Test Email" });
    const toTag = `xss-tag-${unique()}@example.test`;
    await smtpDrawer.getByLabel("Recipient").fill(toTag);
    await smtpDrawer.getByLabel("Message").fill(corpus.slice(0, 4900));
    await smtpDrawer.getByRole("button", { name: "Send Test Email" }).click();
    await smtpDrawer.getByText("Test email sent.").waitFor({ timeout: TIMEOUT });
    await b.page.keyboard.press("Escape");

    // Both in the Email Log's frames.
    for (const to of [toTemplate, toTag]) {
      await b.page.goto(`/email/log?q=${encodeURIComponent(to)}`);
      await b.page.getByRole("row", { name: new RegExp(to) }).getByRole("link").click();
      await b.page.locator('iframe[title="Email content"]').waitFor({ timeout: TIMEOUT });
      await b.page.waitForTimeout(300);
    }
    expect(await xssCalls(b.page)).toEqual([]);

    // The received mail opened as a plain, unsandboxed page (like a careless mail client would).
    for (const to of [toTemplate, toTag]) {
      const [mail] = await waitForMail(to);
      expect(mail, to).toBeTruthy();
      const page = await b.context.newPage();
      await trapXss(page);
      await page.goto("about:blank");
      await page.setContent(mail!.html ?? "", { waitUntil: "load" });
      await page.waitForTimeout(300);
      // Click every link: none may run script.
      for (const link of await page.locator("a").all()) {
        const href = (await link.getAttribute("href")) ?? "";
        expect(href.toLowerCase()).not.toMatch(/^\s*(javascript|data|vbscript):/);
      }
      expect(await xssCalls(page), to).toEqual([]);
      await page.close();
    }
  });
});
