/**
 * Synchronous sends for the two "Send Test Email" drawers: the administrator waits for the SMTP server's
 * answer. The result is recorded in the outbox (so the Email Log shows it) with an audit row, in one batch.
 * Failures are turned into a clear reason: connection refused, TLS untrusted, authentication failed, timeout.
 */
import type { SendResult } from "../../contract/email-dto";
import { headerSafe, type RenderedEmail } from "../../contract/email-render";
import { atomically } from "../../db/atomic";
import { newId } from "../../db/ids";
import { emailOutbox } from "../../db/schema";
import { openSmtpSession, type MailerSession, type SmtpSettings } from "../../integrations/mailer";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";

export function classifySmtpError(err: unknown, settings: Pick<SmtpSettings, "host" | "port">): Pick<SendResult, "reason" | "detail"> {
  const raw = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, " ").slice(0, 500);
  const where = `${settings.host}:${settings.port}`;
  if (/refused|ECONNREFUSED|cannot connect|connect(ion)? (failed|error)|network connection lost|Failed to connect|closed the connection/i.test(raw) && !/^\d{3}/.test(raw))
    return { reason: "connection_refused", detail: `Connection refused by ${where}: nothing accepted the connection, or the server closed it (check host, port and firewall). Server said: ${raw}` };
  if (/certificate|TLS|SSL|handshake/i.test(raw)) return { reason: "tls_untrusted", detail: `TLS failed with ${where}: ${/STARTTLS/.test(raw) ? "" : "the server's certificate is not trusted or the TLS handshake failed. "}${raw}` };
  if (/auth|535|534|530|credentials|username|password/i.test(raw)) return { reason: "auth_failed", detail: `Authentication failed at ${where}: check Login and Password. Server said: ${raw}` };
  if (/time(d)? ?out/i.test(raw)) return { reason: "timeout", detail: `No answer from ${where} in time (timeout). ${raw}` };
  if (/\b[45]\d\d\b/.test(raw)) return { reason: "rejected", detail: `The server rejected the message: ${raw}` };
  return { reason: "other", detail: raw || "Unknown error" };
}

export async function sendNow(
  ctx: ActorContext,
  settings: SmtpSettings,
  mail: { event: string; orgId: string | null; to: string; data: Record<string, string>; rendered: RenderedEmail; auditAction: string },
): Promise<SendResult> {
  const now = ctx.clock.now();
  const id = newId("email", now);
  const messageId = `<${id}@${settings.fromAddress.split("@").pop() ?? "cumulus"}>`;
  let session: MailerSession | null = null;
  let result: SendResult;
  try {
    session = await openSmtpSession(settings);
    const reply = await session.send({ toAddress: mail.to, toName: null, ...mail.rendered, subject: headerSafe(mail.rendered.subject), messageId });
    result = { ok: true, reason: "sent", detail: `Accepted by ${settings.host}:${settings.port}: ${reply}`, outboxId: id };
  } catch (err) {
    result = { ok: false, ...classifySmtpError(err, settings), outboxId: id };
  } finally {
    await session?.close();
  }
  await atomically(ctx.db, [
    ctx.db.insert(emailOutbox).values({
      id,
      idempotencyKey: `${mail.event}:${id}`,
      event: mail.event,
      orgId: mail.orgId,
      copyKind: "recipient",
      toAddress: mail.to,
      toName: null,
      data: JSON.stringify(mail.data),
      status: result.ok ? "sent" : "failed",
      attempts: 1,
      lastError: result.ok ? null : result.detail.slice(0, 1000),
      ...mail.rendered,
      messageId: result.ok ? messageId : null,
      createdAt: now,
      updatedAt: now,
      sentAt: result.ok ? now : null,
    }),
    auditStatement(ctx, { action: mail.auditAction, orgId: mail.orgId, targetType: "email", targetId: id, after: { to: mail.to, ok: result.ok, reason: result.reason } }),
  ]);
  return result;
}
