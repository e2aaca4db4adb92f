/**
 * "Resend" from the Email Log: a NEW outbox row (own id, own Message-ID) with the same recipient and the
 * content exactly as first rendered (or, if it never rendered, the same tag values), queued like any email.
 * The original row is untouched. Audited in the same batch.
 */
import { eq } from "drizzle-orm";
import type { EmailLogDetail } from "../../contract/email-dto";
import { atomically } from "../../db/atomic";
import { newId } from "../../db/ids";
import { emailOutbox } from "../../db/schema";
import { conflict, notFound } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { getEmailLog } from "./email-log";
import { dispatchEmails } from "./notify";

export async function resendEmail(args: { ctx: ActorContext; id: string }): Promise<EmailLogDetail> {
  const { ctx } = args;
  const row = await ctx.db.select().from(emailOutbox).where(eq(emailOutbox.id, args.id)).get();
  if (!row) throw notFound("Email");
  if (row.status === "queued") throw conflict("This email is still queued: it will be sent (or retried) automatically.");
  if (row.event === "email.template_test" || row.event === "email.smtp_test") throw conflict("Test emails are not resent from the log: use Send Test Email again.");
  const now = ctx.clock.now();
  const id = newId("email", now);
  const key = `resend:${row.id}:${id}`;
  await atomically(ctx.db, [
    ctx.db.insert(emailOutbox).values({
      id,
      idempotencyKey: key,
      event: row.event,
      orgId: row.orgId,
      copyKind: row.copyKind,
      toAddress: row.toAddress,
      toName: row.toName,
      data: row.data,
      attachments: row.attachments,
      status: "queued",
      attempts: 0,
      subject: row.subject,
      html: row.html,
      text: row.text,
      createdAt: now,
      updatedAt: now,
    }),
    auditStatement(ctx, { action: "email.resend", orgId: row.orgId, targetType: "email", targetId: row.id, after: { resentAs: id, to: row.toAddress, event: row.event } }),
  ]);
  await dispatchEmails(ctx, [{ type: "email.send", outboxId: id, idempotencyKey: key }]);
  return getEmailLog({ ctx, id });
}
