/**
 * Saves the Dunning Process policy (audited like every billing setting). Open cases keep their snapshot;
 * the answer says what the new policy means for organizations entering dunning from now on.
 */
import { DunningPolicySchema, type DunningPolicyInput } from "../../contract/dunning";
import { atomically, rawStatement } from "../../db/atomic";
import { auditIfChanged } from "../audit/record";
import type { ActorContext, DomainContext } from "../context";
import { previewPolicy, type DunningPreview } from "./preview";
import { loadDunningPolicy } from "./settings";

export interface DunningSettingsView {
  policy: DunningPolicyInput;
  updatedAt: string | null;
  preview: DunningPreview;
}

export async function getDunningSettings(args: { ctx: DomainContext }): Promise<DunningSettingsView> {
  const { policy, updatedAt } = await loadDunningPolicy(args.ctx.db);
  return { policy, updatedAt: updatedAt ? new Date(updatedAt).toISOString() : null, preview: await previewPolicy(args.ctx.db, policy, args.ctx.clock.now()) };
}

export async function previewDunningSettings(args: { ctx: DomainContext; input: DunningPolicyInput }): Promise<DunningPreview> {
  return previewPolicy(args.ctx.db, DunningPolicySchema.parse(args.input), args.ctx.clock.now());
}

export async function updateDunningSettings(args: { ctx: ActorContext; input: DunningPolicyInput }): Promise<DunningSettingsView> {
  const policy = DunningPolicySchema.parse(args.input);
  const { ctx } = args;
  const before = (await loadDunningPolicy(ctx.db)).policy;
  const now = ctx.clock.now();
  await atomically(ctx.db, [
    rawStatement(`INSERT INTO dunning_settings (id, policy, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at`, [JSON.stringify(policy), now]),
    auditIfChanged(ctx, { action: "billing.dunning.updated", orgId: null, targetType: "dunning_settings", targetId: "1", before: flat(before), after: flat(policy) }),
  ]);
  return getDunningSettings({ ctx });
}

/** One audit field per setting ("grace.days": 7), so the diff names exactly what changed. */
function flat(p: DunningPolicyInput): Record<string, unknown> {
  const out: Record<string, unknown> = { warningEveryDays: p.warningEveryDays };
  for (const phase of ["grace", "warning", "suspended", "delete_notice"] as const) {
    out[`${phase}.enabled`] = p[phase].enabled;
    out[`${phase}.days`] = p[phase].days;
  }
  return out;
}
