/**
 * The two "Verify" verbs (verify-stripe.ts, verify-adpay.ts) run `verifyGateway`: the secrets after the form, the
 * gateway's own field checks and read-only call, then the gateway row (settings, encrypted secrets, last-4 hints, result of the
 * read-only check) and its audit row in ONE batch. The audit records which settings changed and that a secret
 * changed, never a secret (the audit diff masks secret-looking names, and we pass hashes of nothing secret).
 */
import type { GatewayId, VerifyResult } from "../../contract/payments";
import { atomically } from "../../db/atomic";
import { paymentGateways } from "../../db/schema";
import { validationFailed } from "../../errors";
import { encryptSecret } from "../../integrations/crypto/secrets";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { gatewayAad, gatewayDto, gatewaySecrets, lastFour, loadGatewayRow, type GatewayRow } from "./gateway-store";

export interface GatewayWrite {
  id: GatewayId;
  before: GatewayRow | undefined;
  enabled: boolean;
  mode: "test" | "live" | null;
  settings: object;
  secrets: Record<string, string | undefined>;
  /** Secrets typed in this save (the others were kept). */
  replaced: Record<string, true>;
  /** The read-only check's result with the new credentials. */
  check: { ok: true } | { ok: false; reason: string };
}

/** One gateway's "Verify" form and what that gateway checks. */
export interface GatewayForm<S> {
  id: GatewayId;
  enabled: boolean;
  settings: object;
  /** The secret fields as typed (an empty one keeps the saved secret). */
  typed: S;
  /** Field messages for what is missing or does not fit, given the secrets after the form (none: go on). */
  problems(secrets: S): Record<string, string>;
  /** The keys' mode (test/live), from their prefixes. */
  mode(secrets: S): GatewayWrite["mode"];
  /** The gateway's read-only call with the new credentials. */
  check(secrets: S): Promise<GatewayWrite["check"]>;
}

/** "Verify": the gateway's field checks (422 with every message), its read-only call, then the row and audit row. */
export async function verifyGateway<S extends { [K in keyof S]?: string }>(ctx: ActorContext, form: GatewayForm<S>): Promise<VerifyResult> {
  const { before, secrets, replaced } = await secretsAfterForm(ctx, form.id, form.typed);
  const fields = form.problems(secrets);
  if (Object.keys(fields).length) throw validationFailed(fields);
  const check = await form.check(secrets);
  return writeGateway(ctx, { id: form.id, before, enabled: form.enabled, mode: form.mode(secrets), settings: form.settings, secrets: { ...secrets }, replaced, check });
}

/**
 * The gateway's saved row and its secrets after this form: a secret field left empty keeps the saved secret,
 * one typed replaces it (and is named in `replaced`).
 */
async function secretsAfterForm<S extends { [K in keyof S]?: string }>(ctx: ActorContext, id: GatewayId, typed: S): Promise<{ before: GatewayRow | undefined; secrets: S; replaced: Record<string, true> }> {
  const before = await loadGatewayRow(ctx, id);
  const saved = await gatewaySecrets<Partial<S>>(ctx.config, before);
  const secrets = { ...typed };
  const replaced: Record<string, true> = {};
  for (const key of Object.keys(typed) as Array<keyof S & string>) {
    if (typed[key]) replaced[key] = true;
    else secrets[key] = saved[key] as S[keyof S & string];
  }
  return { before, secrets, replaced };
}

async function writeGateway(ctx: ActorContext, w: GatewayWrite): Promise<VerifyResult> {
  const now = ctx.clock.now();
  const present = Object.fromEntries(Object.entries(w.secrets).filter(([, v]) => !!v)) as Record<string, string>;
  const hints = Object.fromEntries(Object.entries(present).map(([k, v]) => [k, lastFour(v)]));
  const secretsEnc = Object.keys(present).length ? await encryptSecret(ctx.config.SECRETS_KEY, JSON.stringify(present), gatewayAad(w.id)) : null;
  const values = {
    enabled: w.enabled,
    mode: w.mode,
    settings: JSON.stringify(w.settings),
    secretsEnc,
    secretHints: JSON.stringify(hints),
    verifiedAt: w.check.ok ? now : null,
    verifyError: w.check.ok ? null : w.check.reason,
    updatedBy: ctx.principal.userId,
    updatedAt: now,
  };
  const oldHints = JSON.parse(w.before?.secretHints ?? "{}") as Record<string, string | null>;
  // Names of the secrets that were replaced (a new value with the same last 4 still counts): never values.
  const credentialsChanged = Object.keys({ ...oldHints, ...hints }).filter((k) => oldHints[k] !== hints[k] || (k in w.replaced));
  const view = (r: { enabled: boolean; mode: string | null; settings: string } | undefined) => (r ? { enabled: r.enabled, mode: r.mode, ...(JSON.parse(r.settings) as object) } : null);
  await atomically(ctx.db, [
    ctx.db.insert(paymentGateways).values({ id: w.id, ...values }).onConflictDoUpdate({ target: paymentGateways.id, set: values }),
    auditStatement(ctx, { action: `payments.gateway.${w.id}.saved`, orgId: null, targetType: "payment_gateway", targetId: w.id, before: view(w.before), after: { ...view(values), verified: w.check.ok, credentialsChanged } }),
  ]);
  const row = { id: w.id, ...values } as GatewayRow;
  return { gateway: gatewayDto(ctx.config, w.id, row), verified: w.check.ok, message: w.check.ok ? `${w.id === "stripe" ? "Stripe" : "ADPAY"} answered: the credentials work (${w.mode ?? "test"} mode).` : w.check.reason };
}
