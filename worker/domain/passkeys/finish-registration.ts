/**
 * Verifies the authenticator's attestation against the stored challenge, our origin and RP ID, then saves the
 * passkey (public key only) with its name; audit row and "passkey added" email in the same batch.
 */
import { atomically } from "../../db/atomic";
import { passkeys } from "../../db/schema";
import { DomainError, conflict } from "../../errors";
import { toBase64Url } from "../../integrations/crypto/encoding";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { dispatchEmails, prepareNotification } from "../email/notify";
import { whenText } from "../mfa/internal";
import { consumeChallenge, PASSKEY_REFUSED, signedChallenge, webauthn } from "./internal";
import { FinishRegistrationInput } from "../../contract/inputs/passkeys";

export async function finishPasskeyRegistration(args: { ctx: ActorContext; input: FinishRegistrationInput }) {
  const input = FinishRegistrationInput.parse(args.input);
  const { ctx } = args;
  const userId = ctx.principal.userId;
  const expectedChallenge = await consumeChallenge(ctx, signedChallenge(input.response), "register", userId);
  const { verifyRegistrationResponse } = await webauthn();
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response as never,
      expectedChallenge,
      expectedOrigin: ctx.config.PUBLIC_ORIGIN.replace(/\/$/, ""),
      expectedRPID: ctx.config.RP_ID,
      requireUserVerification: true,
    });
  } catch {
    throw new DomainError("INVALID_CODE", PASSKEY_REFUSED);
  }
  if (!verification.verified) throw new DomainError("INVALID_CODE", PASSKEY_REFUSED);
  const info = verification.registrationInfo;
  const now = ctx.clock.now();
  const row = {
    id: info.credential.id,
    userId,
    name: input.name,
    publicKey: toBase64Url(info.credential.publicKey),
    counter: info.credential.counter,
    transports: JSON.stringify(info.credential.transports ?? []),
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    createdAt: now,
    lastUsedAt: null,
  };
  const mail = await prepareNotification(ctx, {
    event: "passkey.added",
    orgId: ctx.principal.orgId,
    to: { userId },
    tags: { "passkey.name": input.name, "security.changed_at": whenText(now) },
    idempotencyKey: `passkey.added:${row.id}`,
  });
  try {
    await atomically(ctx.db, [
      ctx.db.insert(passkeys).values(row),
      auditStatement(ctx, { action: "passkey.added", orgId: ctx.principal.orgId, targetType: "passkey", targetId: row.id, after: { name: row.name, deviceType: row.deviceType, backedUp: row.backedUp } }),
      ...mail.statements,
    ]);
  } catch (err) {
    if (String(err).includes("UNIQUE")) throw conflict("This passkey is already registered.");
    throw err;
  }
  await dispatchEmails(ctx, mail.messages);
  return { id: row.id, name: row.name, createdAt: new Date(now).toISOString(), lastUsedAt: null, deviceType: row.deviceType, backedUp: row.backedUp };
}
