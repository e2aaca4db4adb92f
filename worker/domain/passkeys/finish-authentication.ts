/**
 * Verifies a passkey assertion: challenge consumed once (and bound to the user for step-up), origin and RP ID
 * from configuration, user verification required, and the signature counter written with a compare-and-set.
 * A counter that does not grow (when the authenticator keeps one) is refused and AUDITED: it may be a cloned
 * authenticator. A passkey proves possession and user verification, so it satisfies MFA on its own.
 *
 * `sign_in` creates a new full session; `step_up` rotates the current one and stamps the re-authentication;
 * `second_factor` completes a password sign-in waiting at stage `mfa` (rotated to a new full session).
 */
import { and, eq } from "drizzle-orm";
import { atomically } from "../../db/atomic";
import { passkeys, users } from "../../db/schema";
import { DomainError } from "../../errors";
import { fromBase64 } from "../../integrations/crypto/encoding";
import { auditStatement } from "../audit/record";
import { insertSession, newSession, rotationFor, type NewSession } from "../sessions/rotate";
import type { DomainContext, Principal } from "../context";
import { principalFor } from "../auth/principal";
import { consumeChallenge, PASSKEY_REFUSED, signedChallenge, webauthn } from "./internal";
import { FinishAuthenticationInput } from "../../contract/inputs/passkeys";

type StoredPasskey = { id: string; userId: string; publicKey: string; counter: number; transports: string };

/**
 * Verifies the assertion against the stored credential and returns the authenticator's new counter. A counter
 * that went backwards (a cloned authenticator) is audited and refused with its own message.
 */
async function verifiedCounter(ctx: DomainContext, args: { response: FinishAuthenticationInput["response"]; expectedChallenge: string; cred: StoredPasskey; principal: Principal }): Promise<number> {
  const { expectedChallenge, cred, principal } = args;
  const { verifyAuthenticationResponse } = await webauthn();
  try {
    const result = await verifyAuthenticationResponse({
      response: args.response as never,
      expectedChallenge,
      expectedOrigin: ctx.config.PUBLIC_ORIGIN.replace(/\/$/, ""),
      expectedRPID: ctx.config.RP_ID,
      credential: { id: cred.id, publicKey: fromBase64(cred.publicKey) as Uint8Array<ArrayBuffer>, counter: cred.counter, transports: JSON.parse(cred.transports) as never[] },
      requireUserVerification: true,
    });
    if (!result.verified) throw new Error("not verified");
    return result.authenticationInfo.newCounter;
  } catch (err) {
    if (/counter value/i.test(String((err as Error)?.message))) {
      await auditStatement({ ...ctx, principal }, {
        action: "passkey.counter_regression",
        orgId: principal.orgId,
        targetType: "passkey",
        targetId: cred.id,
        before: { counter: cred.counter },
        after: { counterPresented: String((err as Error).message).match(/value (\d+)/)?.[1] ?? null },
      });
      throw new DomainError("INVALID_CODE", "This passkey was refused because it may have been copied. Use another sign-in method and check your passkeys.");
    }
    throw new DomainError("INVALID_CODE", PASSKEY_REFUSED);
  }
}

export async function finishPasskeyAuthentication(args: {
  ctx: DomainContext;
  input: FinishAuthenticationInput & { purpose: "sign_in" | "step_up" | "second_factor" };
}): Promise<{ session: NewSession; principal: Principal }> {
  const input = FinishAuthenticationInput.parse(args.input);
  const { ctx } = args;
  const purpose = args.input.purpose;
  // The user the assertion must come from (step-up, second factor); null for a discoverable sign-in.
  const stepUpUser = purpose === "sign_in" ? null : (ctx.principal?.userId ?? null);
  if (purpose !== "sign_in" && !stepUpUser) throw new DomainError("UNAUTHENTICATED", "Please sign in.");
  if (purpose === "second_factor" && ctx.session?.stage !== "mfa") throw new DomainError("CONFLICT", "There is no sign-in waiting for a second step.");
  const expectedChallenge = await consumeChallenge(ctx, signedChallenge(input.response), purpose, stepUpUser);

  const cred = await ctx.db
    .select({ id: passkeys.id, userId: passkeys.userId, publicKey: passkeys.publicKey, counter: passkeys.counter, transports: passkeys.transports, name: passkeys.name })
    .from(passkeys)
    .where(eq(passkeys.id, input.response.id))
    .get();
  // Unknown credential, or (step-up) a passkey of another user: the same answer as a bad signature.
  if (!cred || (stepUpUser && cred.userId !== stepUpUser)) throw new DomainError("INVALID_CODE", PASSKEY_REFUSED);
  const principal = await principalFor(ctx, cred.userId);
  if (!principal) throw new DomainError("INVALID_CODE", PASSKEY_REFUSED);

  const newCounter = await verifiedCounter(ctx, { response: input.response, expectedChallenge, cred, principal });

  const now = ctx.clock.now();
  const counterCas = ctx.db
    .update(passkeys)
    .set({ counter: newCounter, lastUsedAt: now })
    .where(and(eq(passkeys.id, cred.id), eq(passkeys.counter, cred.counter)));
  const full = { ...principal, stage: "full" as const };
  let session: NewSession;
  let statements;
  if (purpose === "sign_in") {
    session = await newSession(ctx, "full", now);
    statements = [insertSession(ctx, principal.userId, session, now), ctx.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, principal.userId))];
  } else {
    const r = await rotationFor(ctx, principal.userId);
    session = r.next;
    // Completing a password sign-in is a sign-in (lastLoginAt moves); a step-up is not.
    statements = purpose === "second_factor" ? [...r.statements, ctx.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, principal.userId))] : r.statements;
  }
  // The counter compare-and-set decides between two assertions racing on one credential; only the winner
  // gets a session. (Advancing the counter alone is harmless if the batch below then fails.)
  const cas = await counterCas.run();
  if (cas.meta.changes !== 1) throw new DomainError("INVALID_CODE", PASSKEY_REFUSED);
  await atomically(ctx.db, [
    ...statements,
    auditStatement({ ...ctx, principal: full }, {
      action: purpose === "step_up" ? "auth.step_up" : "auth.sign_in",
      orgId: principal.orgId,
      targetType: "user",
      targetId: principal.userId,
      after: { method: purpose === "second_factor" ? "password+passkey" : "passkey", passkey: cred.name },
    }),
  ]);
  return { session, principal: full };
}
