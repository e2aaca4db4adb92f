/**
 * Sign-in with email and password.
 *
 * Invariants:
 * - an unknown email, a wrong password and a disabled user give the same INVALID_CREDENTIALS error and take
 *   the same time (a dummy hash is verified for unknown emails);
 * - throttled accounts/IPs are refused before any password is derived;
 * - every success creates a NEW session id (no fixation) and never reuses an existing one.
 */
import { eq } from "drizzle-orm";
import { organizations, users } from "../../db/schema";
import { DomainError } from "../../errors";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../../integrations/crypto/password";
import type { DomainContext, Principal, SessionStage } from "../context";
import { activeTotp, mfaRequiredFor, passkeyCount, platformMfaPolicy } from "../mfa/internal";
import type { SecondFactorMethod } from "../../contract/account";
import { insertSession, newSession } from "../sessions/rotate";
import { parsePrivileges } from "../sessions/store";
import { LoginInput } from "../../contract/inputs/auth";
import { assertNotThrottled, clearAccountFailures, recordFailure, throttleKeys } from "./throttle";
import { auditStatement } from "../audit/record";
import { personColumns } from "../person-columns";

export interface LoginResult {
  token: string;
  principal: Principal;
  expiresAt: number;
  /** `full`: signed in. `mfa`: the second factor comes next. `enrol`: MFA is required and must be set up first. */
  stage: SessionStage;
  /** At stage `mfa`: what the user can prove the second step with. */
  methods: SecondFactorMethod[];
}

export const INVALID_CREDENTIALS_MESSAGE = "Email or password is incorrect.";

/** The account and its organization, by sign-in email. */
function userByEmail(ctx: DomainContext, email: string) {
  return ctx.db
    .select({
      ...personColumns,
      privileges: users.privileges,
      passwordHash: users.passwordHash,
      orgId: organizations.id,
      orgKind: organizations.kind,
      orgName: organizations.name,
    })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(users.email, email))
    .get();
}

/** Where a correct password leads: a full session, the second step (and with what), or TOTP enrolment. */
async function signInStage(ctx: DomainContext, userId: string, role: Principal["role"]): Promise<{ stage: SessionStage; methods: SecondFactorMethod[] }> {
  // The password alone signs in only users without a second factor whom no policy requires to have one.
  // A passkey satisfies a policy that requires MFA (possession + user verification, ADR 006): a passkey-only
  // user whom the policy covers proves the second step with the passkey instead of being sent to TOTP
  // enrolment. Without the policy a passkey is an alternative sign-in, not a second step after the password.
  const [totp, policy, passkeys] = await Promise.all([activeTotp(ctx, userId), platformMfaPolicy(ctx), passkeyCount(ctx, userId)]);
  const required = mfaRequiredFor(role, policy);
  const stage: SessionStage = totp || (required && passkeys > 0) ? "mfa" : required ? "enrol" : "full";
  const methods: SecondFactorMethod[] = stage !== "mfa" ? [] : [...(totp ? (["totp", "recovery_code"] as const) : []), ...(passkeys > 0 ? (["passkey"] as const) : [])];
  return { stage, methods };
}

export async function loginWithPassword(args: { ctx: DomainContext; input: LoginInput; userAgent: string | null }): Promise<LoginResult> {
  const input = LoginInput.parse(args.input);
  const { ctx } = args;
  const keys = await throttleKeys(input.email, ctx.ip);
  await assertNotThrottled(ctx, keys);

  const user = await userByEmail(ctx, input.email);

  const pepper = ctx.config.PASSWORD_PEPPER;
  const verdict = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash(pepper)), pepper);
  if (!user || !verdict.ok || user.status !== "active") {
    await recordFailure(ctx, keys);
    throw new DomainError("INVALID_CREDENTIALS", INVALID_CREDENTIALS_MESSAGE);
  }

  const now = ctx.clock.now();
  const { stage, methods } = await signInStage(ctx, user.id, user.role);
  const session = await newSession({ ...ctx, userAgent: args.userAgent }, stage, now);
  const principal: Principal = {
    userId: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    role: user.role,
    privileges: parsePrivileges(user.privileges),
    orgId: user.orgId,
    orgKind: user.orgKind,
    orgName: user.orgName,
    stage,
  };
  const userUpdate = verdict.needsRehash
    ? { lastLoginAt: now, passwordHash: await hashPassword(input.password, pepper), updatedAt: now }
    : { lastLoginAt: now };
  await ctx.db.batch([
    insertSession({ ...ctx, userAgent: args.userAgent }, user.id, session, now),
    // lastLoginAt moves when the sign-in completes (here, or at the second factor).
    ctx.db.update(users).set(stage === "full" ? userUpdate : { updatedAt: verdict.needsRehash ? now : undefined, passwordHash: "passwordHash" in userUpdate ? userUpdate.passwordHash : undefined, lastLoginAt: user.lastLoginAt }).where(eq(users.id, user.id)),
    auditStatement(
      { ...ctx, principal },
      { action: stage === "full" ? "auth.sign_in" : "auth.password_accepted", orgId: user.orgId, targetType: "user", targetId: user.id, after: { method: "password", next: stage } },
    ),
  ]);
  await clearAccountFailures(ctx, keys);
  return { token: session.token, principal, expiresAt: session.expiresAt, stage, methods };
}
