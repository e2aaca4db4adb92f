/**
 * The effective template of an email type: the administrator's saved version, or the built-in default.
 * Shared by the consumer (send), the editor (get) and the test send.
 */
import { eq } from "drizzle-orm";
import type { Branding, TemplateSource } from "../../contract/email-render";
import { emailTemplates } from "../../db/schema";
import type { DomainContext } from "../context";
import { defaultTemplate } from "./defaults";

export interface EffectiveTemplate extends TemplateSource {
  branding: Branding;
  version: number;
  customized: boolean;
  updatedAt: number | null;
}

export function parseBranding(json: string | null | undefined): Branding {
  try {
    const b = JSON.parse(json ?? "{}") as Branding;
    return typeof b === "object" && b ? b : {};
  } catch {
    return {};
  }
}

export async function effectiveTemplate(ctx: Pick<DomainContext, "db">, event: string): Promise<EffectiveTemplate> {
  const row = await ctx.db.select().from(emailTemplates).where(eq(emailTemplates.event, event)).get();
  if (row) return { subject: row.subject, html: row.html, text: row.text, branding: parseBranding(row.branding), version: row.version, customized: true, updatedAt: row.updatedAt };
  return { ...defaultTemplate(event), branding: {}, version: 0, customized: false, updatedAt: null };
}
