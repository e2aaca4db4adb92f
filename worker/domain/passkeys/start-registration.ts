/** Options for registering a new passkey (discoverable, user verification required); the challenge is stored. */
import { eq } from "drizzle-orm";
import { passkeys } from "../../db/schema";
import { utf8 } from "../../integrations/crypto/encoding";
import type { ActorContext } from "../context";
import { storeChallenge, webauthn } from "./internal";

export async function startPasskeyRegistration(args: { ctx: ActorContext }) {
  const { ctx } = args;
  const { generateRegistrationOptions } = await webauthn();
  const existing = await ctx.db.select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, ctx.principal.userId)).all();
  const options = await generateRegistrationOptions({
    rpName: ctx.config.RP_NAME,
    rpID: ctx.config.RP_ID,
    userName: ctx.principal.email,
    userDisplayName: `${ctx.principal.firstName} ${ctx.principal.lastName}`,
    userID: utf8(ctx.principal.userId) as Uint8Array<ArrayBuffer>,
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: JSON.parse(c.transports) as string[] })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    timeout: 300_000,
  });
  await storeChallenge(ctx, options.challenge, "register", ctx.principal.userId);
  return options;
}
