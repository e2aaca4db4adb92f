/** Restore a saved version (it becomes the newest version, so nothing is lost). */
import type { TemplateDetail } from "../../contract/email-dto";
import type { ActorContext } from "../context";
import { getTemplate } from "./get-template";
import { parseBranding } from "./template-store";
import { assertEvent, loadVersion, writeTemplateVersion } from "./template-versions";

export async function restoreTemplate(args: { ctx: ActorContext; event: string; version: number }): Promise<TemplateDetail> {
  const { ctx, event } = args;
  assertEvent(event);
  const v = await loadVersion(ctx, event, args.version);
  await writeTemplateVersion(ctx, event, { subject: v.subject, html: v.html, text: v.text, branding: parseBranding(v.branding) }, `restore of v${v.version}`, "email.template.restore");
  return getTemplate({ ctx, event });
}
