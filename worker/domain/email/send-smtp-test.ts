/**
 * "SMTP Configuration" → "Send Test Email": recipient, sender address and message content; sent now with the
 * saved configuration (as the manual says: test after saving), answering with the server's reply or a clear
 * reason.
 */
import { SmtpTestInput, type SendResult } from "../../contract/email-dto";
import { renderTemplate } from "../../contract/email-render";
import { DomainError } from "../../errors";
import type { ActorContext } from "../context";
import { commonTags } from "./notify";
import { sanitizeHtml } from "./sanitize";
import { sendNow } from "./send-now";
import { effectiveSmtp } from "./smtp-settings";
import { effectiveTemplate } from "./template-store";

export async function sendSmtpTest(args: { ctx: ActorContext; input: SmtpTestInput }): Promise<SendResult> {
  const { ctx } = args;
  const input = SmtpTestInput.parse(args.input);
  const settings = await effectiveSmtp(ctx).catch((err: unknown) => {
    throw new DomainError("PRECONDITION_FAILED", err instanceof Error ? err.message : String(err));
  });
  if (!settings) return { ok: false, reason: "not_configured", detail: "SMTP is not configured: fill in the form and click Done first.", outboxId: null };
  const p = ctx.principal;
  const values = {
    ...(await commonTags(ctx, null, { address: input.to, name: null, firstName: "", lastName: "", operator: false })),
    "test.sent_by": `${p.firstName} ${p.lastName}`,
    "test.sent_at": new Date(ctx.clock.now()).toISOString().replace("T", " ").slice(0, 16) + " UTC",
    "smtp.host": settings.host,
    "test.message": input.message,
  };
  const template = await effectiveTemplate(ctx, "email.smtp_test");
  const filled = renderTemplate(template, values, template.branding, ctx.config.PUBLIC_ORIGIN);
  const rendered = { ...filled, html: await sanitizeHtml(filled.html) };
  return sendNow(ctx, { ...settings, fromAddress: input.from ?? settings.fromAddress }, { event: "email.smtp_test", orgId: null, to: input.to, data: values, rendered, auditAction: "email.smtp.test" });
}
