/**
 * "Email Templates" → Edit → Save. Refuses unknown tags (naming them), sanitizes the HTML (what is stored is
 * clean; the response says if anything was removed), strips line breaks from the subject, checks the logo
 * asset exists, and keeps the previous content as a version.
 */
import { eq } from "drizzle-orm";
import { SaveTemplateInput, type TemplateDetail } from "../../contract/email-dto";
import { headerSafe, unknownTags } from "../../contract/email-render";
import { emailAssets } from "../../db/schema";
import { validationFailed } from "../../errors";
import type { ActorContext } from "../context";
import { getTemplate } from "./get-template";
import { sanitizeHtml } from "./sanitize";
import { assertEvent, writeTemplateVersion } from "./template-versions";

/** Validates a draft (save or test send) and returns it cleaned. */
export async function cleanDraft(ctx: ActorContext, event: string, input: SaveTemplateInput) {
  const unknownBy = {
    subject: unknownTags(event, [input.subject]),
    html: unknownTags(event, [input.html]),
    text: unknownTags(event, [input.text]),
  };
  const fields: Record<string, string> = {};
  for (const [field, names] of Object.entries(unknownBy)) {
    if (names.length) fields[field] = `Unknown tag${names.length > 1 ? "s" : ""}: ${names.map((n) => `{{${n}}}`).join(", ")}. Use "Click Here" to see the tags of this template.`;
  }
  if (Object.keys(fields).length) {
    const all = [...new Set(Object.values(unknownBy).flat())];
    throw validationFailed(fields, `This template uses unknown tag${all.length > 1 ? "s" : ""}: ${all.map((n) => `{{${n}}}`).join(", ")}.`);
  }
  if (input.branding.logoAssetId) {
    const asset = await ctx.db.select({ id: emailAssets.id }).from(emailAssets).where(eq(emailAssets.id, input.branding.logoAssetId)).get();
    if (!asset) throw validationFailed({ "branding.logoAssetId": "This logo no longer exists. Upload it again." });
  }
  const html = await sanitizeHtml(input.html);
  return { subject: headerSafe(input.subject), html, text: input.text, branding: input.branding, sanitized: html !== input.html };
}

export async function saveTemplate(args: { ctx: ActorContext; event: string; input: SaveTemplateInput }): Promise<TemplateDetail & { notice: string | null }> {
  const { ctx, event } = args;
  assertEvent(event);
  const input = SaveTemplateInput.parse(args.input);
  const draft = await cleanDraft(ctx, event, input);
  await writeTemplateVersion(ctx, event, draft, "save", "email.template.save");
  return {
    ...(await getTemplate({ ctx, event })),
    notice: draft.sanitized ? "Saved. Some HTML was removed because it is not allowed in email templates (scripts, event handlers, unsafe links or embedded content)." : null,
  };
}
