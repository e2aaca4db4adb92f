/** The Cloud-Admin's MFA policy: require MFA for staff (and the Cloud-Admin), optionally for every user. */

import { atomically, rawStatement } from "../../db/atomic";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { platformMfaPolicy } from "./internal";
import { MfaPolicyInput } from "../../contract/inputs/mfa";

export async function setMfaPolicy(args: { ctx: ActorContext; input: MfaPolicyInput }) {
  const input = MfaPolicyInput.parse(args.input);
  const { ctx } = args;
  const before = await platformMfaPolicy(ctx);
  const now = ctx.clock.now();
  await atomically(ctx.db, [
    rawStatement(
      `INSERT INTO security_settings (id, require_mfa_staff, require_mfa_all, updated_at) VALUES ('platform', ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET require_mfa_staff = excluded.require_mfa_staff, require_mfa_all = excluded.require_mfa_all, updated_at = excluded.updated_at`,
      [input.requireMfaStaff ? 1 : 0, input.requireMfaAll ? 1 : 0, now],
    ),
    auditStatement(ctx, { action: "security.mfa_policy_changed", orgId: null, targetType: "security_settings", targetId: "platform", before, after: input }),
  ]);
  return input;
}
