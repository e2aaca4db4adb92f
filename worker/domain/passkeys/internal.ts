/**
 * Passkey plumbing: the WebAuthn library is imported lazily (only passkey requests pay for loading it),
 * challenges live in D1 (server-side, 5-minute TTL) and are consumed with DELETE … RETURNING, so each is
 * accepted once; the client never tells us which challenge to expect: we read the one the authenticator
 * signed (clientDataJSON) and it must exist here, unexpired, for this purpose (and user).
 */
import { lt, sql } from "drizzle-orm";
import { webauthnChallenges } from "../../db/schema";
import { DomainError } from "../../errors";
import { fromBase64 } from "../../integrations/crypto/encoding";
import type { DomainContext } from "../context";

export const CHALLENGE_TTL_MS = 5 * 60_000;
/** `second_factor`: the passkey is the second step after a password (stage `mfa`), bound to that user. */
export type ChallengePurpose = "register" | "sign_in" | "step_up" | "second_factor";

export const webauthn = () => import("@simplewebauthn/server");

export const PASSKEY_REFUSED = "The passkey could not be verified. Try again.";

export function storeChallenge(ctx: DomainContext, challenge: string, purpose: ChallengePurpose, userId: string | null) {
  return ctx.db.insert(webauthnChallenges).values({ challenge, purpose, userId, expiresAt: ctx.clock.now() + CHALLENGE_TTL_MS });
}

/** The challenge inside a response's clientDataJSON (base64url), or null if it is not readable. */
export function signedChallenge(response: { response?: { clientDataJSON?: unknown } }): string | null {
  try {
    const raw = response.response?.clientDataJSON;
    if (typeof raw !== "string" || raw.length > 4096) return null;
    const data = JSON.parse(new TextDecoder().decode(fromBase64(raw))) as { challenge?: unknown };
    return typeof data.challenge === "string" ? data.challenge : null;
  } catch {
    return null;
  }
}

/** Consumes (deletes) the challenge; throws INVALID_CODE when it is unknown, used, expired or not this user's. */
export async function consumeChallenge(ctx: DomainContext, challenge: string | null, purpose: ChallengePurpose, userId: string | null): Promise<string> {
  if (!challenge) throw new DomainError("INVALID_CODE", PASSKEY_REFUSED);
  const now = ctx.clock.now();
  const row = await ctx.db.get<{ challenge: string }>(sql`
    DELETE FROM webauthn_challenges
    WHERE challenge = ${challenge} AND purpose = ${purpose} AND expires_at > ${now}
      AND ${userId === null ? sql`user_id IS NULL` : sql`user_id = ${userId}`}
    RETURNING challenge`);
  if (!row) throw new DomainError("INVALID_CODE", "This passkey request has expired or was already used. Try again.");
  return row.challenge;
}

export async function purgeChallenges(ctx: Pick<DomainContext, "db" | "clock">): Promise<void> {
  await ctx.db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, ctx.clock.now()));
}
