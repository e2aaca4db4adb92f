/** Reset to the built-in default (recorded as a version, so the customised one can be restored). */
import type { TemplateDetail } from "../../contract/email-dto";
import type { ActorContext } from "../context";
import { defaultTemplate } from "./defaults";
import { getTemplate } from "./get-template";
import { assertEvent, writeTemplateVersion } from "./template-versions";

export async function resetTemplate(args: { ctx: ActorContext; event: string }): Promise<TemplateDetail> {
  const { ctx, event } = args;
  assertEvent(event);
  await writeTemplateVersion(ctx, event, { ...defaultTemplate(event), branding: {} }, "reset", "email.template.reset");
  return getTemplate({ ctx, event });
}
