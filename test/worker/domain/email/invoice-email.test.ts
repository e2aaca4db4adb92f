/**
 * The invoice email as the customer receives it (over SMTP, from the sink): the invoice link is a real link in
 * the HTML part, and the footer names the support (sender) address instead of ending with a stray "·".
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { InvoiceDetail } from "../../../../worker/contract/billing";
import { organizations } from "../../../../worker/db/schema";
import { defaultTemplate, linkedIntro } from "../../../../worker/domain/email/defaults";
import { deliver } from "../../../billing-fixtures";
import { addDays, testNow, today } from "../../../clock";
import { createOrg, createSession, createUser, createWorld, db, type World } from "../../../factories";
import { ORIGIN, testClient } from "../../../helpers";
import { mailTo } from "../../../mail";

let w: World;
let admin: string;
const c = testClient({ now: testNow() });
beforeAll(async () => {
  w = await createWorld();
  admin = await createSession(w.admin.id, testNow());
});

describe("invoice.issued email", () => {
  it("links the invoice in the HTML part and ends the footer with the support address", async () => {
    const org = await createOrg({ kind: "customer" });
    const contact = await createUser({ orgId: org.id, role: "customer" });
    await db().update(organizations).set({ primaryUserId: contact.id }).where(eq(organizations.id, org.id));
    const res = await c.request("POST", "/api/invoices", { cookie: admin, body: {
      for: "customer", orgId: org.id, status: "unpaid", issueDate: today(), dueDate: addDays(today(), 14), periodFrom: today(), periodTo: today(),
      items: [{ description: "Support plan", quantity: "1", unitPrice: "25", taxable: false }],
    } });
    expect(res.status, await res.clone().text()).toBe(201);
    const inv = (await res.json()) as InvoiceDetail;
    const row = await env.DB.prepare("SELECT id, idempotency_key AS k FROM email_outbox WHERE event = 'invoice.issued' AND to_address = ?").bind(contact.email).first<{ id: string; k: string }>();
    await deliver([{ type: "email.send", outboxId: row!.id, idempotencyKey: row!.k }]);
    const [mail] = await mailTo(contact.email);
    const url = `${ORIGIN}/billing/invoices/${inv.id}`;
    const html = mail!.html!;
    expect(html).toMatch(new RegExp(`<a [^>]*href="${url.replace(/[/.]/g, "\\$&")}"[^>]*>${url.replace(/[/.]/g, "\\$&")}</a>`));
    const footer = html.slice(html.lastIndexOf("<td", html.indexOf(org.name, html.lastIndexOf("border-top"))));
    const footerText = footer.replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim();
    expect(footerText).toMatch(/ · \S+@\S+$/); // "<org> · <portal> · no-reply@localhost.localdomain"
    expect(footerText).not.toMatch(/·$/);
    // The plain-text part keeps the bare URL.
    expect(mail!.text).toContain(url);
  });

  it("every default template's URL tags are links in HTML", () => {
    expect(linkedIntro("Pay here: {{portal.pay_url}} or {{invoice.url}}.")).toBe(
      'Pay here: <a href="{{portal.pay_url}}" style="color:{{brand.link_color}}">{{portal.pay_url}}</a> or <a href="{{invoice.url}}" style="color:{{brand.link_color}}">{{invoice.url}}</a>.',
    );
    for (const event of ["invoice.issued", "invoice.resent", "email.change_confirmation", "payment.failed", "dunning.warning"]) {
      const t = defaultTemplate(event);
      const intro = /<p style="margin:0 0 12px">((?:(?!<\/p>).)*\{\{[a-z0-9_.]*url\}\}(?:(?!<\/p>).)*)<\/p>/.exec(t.html)?.[1] ?? "";
      expect(intro.replace(/<a href="\{\{[^}]+\}\}"[^>]*>\{\{[^}]+\}\}<\/a>/g, ""), event).not.toMatch(/\{\{[a-z0-9_.]*url\}\}/);
    }
  });
});
