/** What the "Multi Factor Authentication" screen shows: never the seed, only states and counts. */
import type { ActorContext } from "../context";
import { activeTotp, mfaRequiredFor, passkeyCount, platformMfaPolicy, unusedRecoveryCodes } from "./internal";

export async function getMfaStatus(args: { ctx: ActorContext }) {
  const { ctx } = args;
  const userId = ctx.principal.userId;
  const [totp, policy, remaining, keys] = await Promise.all([activeTotp(ctx, userId), platformMfaPolicy(ctx), unusedRecoveryCodes(ctx, userId), passkeyCount(ctx, userId)]);
  return {
    totpEnabled: !!totp,
    enabledAt: totp?.enabledAt ? new Date(totp.enabledAt).toISOString() : null,
    recoveryCodesRemaining: totp ? remaining : 0,
    passkeys: keys,
    required: mfaRequiredFor(ctx.principal.role, policy),
  };
}
