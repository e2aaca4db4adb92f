/** One template for the editor: its current content, branding, tags and saved versions. */
import { desc, eq } from "drizzle-orm";
import type { TemplateDetail, TemplateSummary, TemplateVersion } from "../../contract/email-dto";
import { EMAIL_EVENTS, tagsFor } from "../../contract/email-events";
import { emailTemplates, emailTemplateVersions } from "../../db/schema";
import type { ActorContext } from "../context";
import { parseBranding, effectiveTemplate } from "./template-store";
import { assertEvent, isDefault, loadVersion } from "./template-versions";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function listTemplates(args: { ctx: ActorContext }): Promise<TemplateSummary[]> {
  const rows = await args.ctx.db.select().from(emailTemplates);
  const byEvent = new Map(rows.map((r) => [r.event, r]));
  return EMAIL_EVENTS.map((e) => {
    const row = byEvent.get(e.key);
    return {
      event: e.key,
      label: e.label,
      trigger: e.trigger,
      recipient: e.recipient === "primary_contact" ? "Primary contact" : e.recipient === "user" ? "The user" : "The address entered",
      customized: row ? !isDefault(e.key, row) || row.branding !== "{}" : false,
      version: row?.version ?? 0,
      updatedAt: iso(row?.updatedAt ?? null),
    };
  });
}

export async function getTemplate(args: { ctx: ActorContext; event: string }): Promise<TemplateDetail> {
  const { ctx, event } = args;
  const def = assertEvent(event);
  const t = await effectiveTemplate(ctx, event);
  const versions = await ctx.db
    .select({ version: emailTemplateVersions.version, note: emailTemplateVersions.note, createdAt: emailTemplateVersions.createdAt, createdBy: emailTemplateVersions.createdBy })
    .from(emailTemplateVersions)
    .where(eq(emailTemplateVersions.event, event))
    .orderBy(desc(emailTemplateVersions.version))
    .limit(100);
  return {
    event,
    label: def.label,
    trigger: def.trigger,
    subject: t.subject,
    html: t.html,
    text: t.text,
    branding: t.branding,
    customized: t.customized && (!isDefault(event, t) || JSON.stringify(t.branding) !== "{}"),
    version: t.version,
    tags: tagsFor(event),
    versions: versions.map((v) => ({ ...v, createdAt: new Date(v.createdAt).toISOString() })),
    origin: ctx.config.PUBLIC_ORIGIN,
  };
}

export async function getTemplateVersion(args: { ctx: ActorContext; event: string; version: number }): Promise<TemplateVersion> {
  assertEvent(args.event);
  const v = await loadVersion(args.ctx, args.event, args.version);
  return { version: v.version, note: v.note, createdAt: new Date(v.createdAt).toISOString(), createdBy: v.createdBy, subject: v.subject, html: v.html, text: v.text, branding: parseBranding(v.branding) };
}
