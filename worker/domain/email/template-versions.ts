/**
 * Writing a template version (save, restore, reset all go through here): the new current row, the version
 * row and the audit row in one D1 batch. Version numbers count up per type; the unique (event, version)
 * index makes a concurrent save of the same type fail instead of silently overwriting (409).
 */
import { eq } from "drizzle-orm";
import { eventDef } from "../../contract/email-events";
import type { Branding, TemplateSource } from "../../contract/email-render";
import { atomically } from "../../db/atomic";
import { newId } from "../../db/ids";
import { emailTemplates, emailTemplateVersions } from "../../db/schema";
import { conflict, notFound } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { defaultTemplate } from "./defaults";
import { effectiveTemplate } from "./template-store";

export function assertEvent(event: string) {
  const def = eventDef(event);
  if (!def) throw notFound("Email template");
  return def;
}

export function isDefault(event: string, t: TemplateSource): boolean {
  const d = defaultTemplate(event);
  return d.subject === t.subject && d.html === t.html && d.text === t.text;
}

export async function writeTemplateVersion(
  ctx: ActorContext,
  event: string,
  next: TemplateSource & { branding: Branding },
  note: string,
  action: string,
): Promise<number> {
  const current = await effectiveTemplate(ctx, event);
  const version = current.version + 1;
  const now = ctx.clock.now();
  const values = { subject: next.subject, html: next.html, text: next.text, branding: JSON.stringify(next.branding ?? {}) };
  try {
    await atomically(ctx.db, [
      ctx.db
        .insert(emailTemplates)
        .values({ event, ...values, version, updatedBy: ctx.principal.userId, updatedAt: now })
        .onConflictDoUpdate({ target: emailTemplates.event, set: { ...values, version, updatedBy: ctx.principal.userId, updatedAt: now } }),
      ctx.db.insert(emailTemplateVersions).values({ id: newId("emailTemplateVersion", now), event, version, ...values, note, createdBy: ctx.principal.userId, createdAt: now }),
      auditStatement(ctx, {
        action,
        orgId: null,
        targetType: "email_template",
        targetId: event,
        before: { version: current.version, subject: current.subject, htmlLength: current.html.length, textLength: current.text.length, branding: current.branding },
        after: { version, subject: next.subject, htmlLength: next.html.length, textLength: next.text.length, branding: next.branding ?? {}, note },
      }),
    ]);
  } catch (err) {
    if (String(err).includes("UNIQUE")) throw conflict("Someone else saved this template at the same time. Reload it and try again.");
    throw err;
  }
  return version;
}

export async function loadVersion(ctx: ActorContext, event: string, version: number) {
  const row = await ctx.db.select().from(emailTemplateVersions).where(eq(emailTemplateVersions.event, event)).all();
  const found = row.find((r) => r.version === version);
  if (!found) throw notFound("Template version");
  return found;
}
