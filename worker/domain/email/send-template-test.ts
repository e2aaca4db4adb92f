/**
 * "Send Test Email" in the template editor: renders the draft in the editor (saved or not) with the example
 * tag values, or with a chosen organization's real data (its name, reseller, primary contact), and sends it
 * now through the configured SMTP server.
 */
import { eq } from "drizzle-orm";
import { TemplateTestInput, type SendResult } from "../../contract/email-dto";
import { exampleValues, renderTemplate } from "../../contract/email-render";
import { organizations } from "../../db/schema";
import { DomainError, validationFailed } from "../../errors";
import type { ActorContext } from "../context";
import { commonTags, resolveRecipient } from "./notify";
import { sanitizeHtml } from "./sanitize";
import { cleanDraft } from "./save-template";
import { sendNow } from "./send-now";
import { effectiveSmtp } from "./smtp-settings";
import { assertEvent } from "./template-versions";

export async function sendTemplateTest(args: { ctx: ActorContext; event: string; input: TemplateTestInput }): Promise<SendResult> {
  const { ctx, event } = args;
  const def = assertEvent(event);
  const input = TemplateTestInput.parse(args.input);
  const draft = await cleanDraft(ctx, event, input);
  let values = exampleValues(event, ctx.config.PUBLIC_ORIGIN);
  if (input.orgId) {
    const org = await ctx.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, input.orgId)).get();
    if (!org) throw validationFailed({ orgId: "Organization not found." });
    const contact = (await resolveRecipient(ctx, { primaryContactOf: org.id })) ?? { address: input.to, name: null, firstName: "", lastName: "", operator: false };
    values = { ...values, ...(await commonTags(ctx, org.id, contact)) };
  }
  const settings = await effectiveSmtp(ctx).catch((err: unknown) => {
    throw new DomainError("PRECONDITION_FAILED", err instanceof Error ? err.message : String(err));
  });
  if (!settings) return { ok: false, reason: "not_configured", detail: "SMTP is not configured: set it in Configuration >> Email Settings >> SMTP Configuration.", outboxId: null };
  const filled = renderTemplate(draft, values, draft.branding, ctx.config.PUBLIC_ORIGIN);
  const rendered = { ...filled, subject: `[Test] ${filled.subject}`, html: await sanitizeHtml(filled.html) };
  return sendNow(ctx, settings, { event: "email.template_test", orgId: input.orgId ?? null, to: input.to, data: { template: def.key }, rendered, auditAction: "email.template.test" });
}
