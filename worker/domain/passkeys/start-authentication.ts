/**
 * Options for a passkey assertion. `sign_in`: discoverable (no user known, empty allow-list, from the sign-in
 * page). `step_up`: the signed-in user's own passkeys only. `second_factor`: after a password, while the session
 * waits for its second step (stage `mfa`), the user's own passkeys only. The challenge is stored server-side.
 */
import { eq } from "drizzle-orm";
import { passkeys } from "../../db/schema";
import { DomainError } from "../../errors";
import type { DomainContext } from "../context";
import { storeChallenge, webauthn } from "./internal";

export async function startPasskeyAuthentication(args: { ctx: DomainContext; input: { purpose: "sign_in" | "step_up" | "second_factor" } }) {
  const { ctx } = args;
  const { purpose } = args.input;
  const userId = purpose === "sign_in" ? null : ctx.principal?.userId;
  if (purpose !== "sign_in" && !userId) throw new DomainError("UNAUTHENTICATED", "Please sign in.");
  if (purpose === "second_factor" && ctx.session?.stage !== "mfa") throw new DomainError("CONFLICT", "There is no sign-in waiting for a second step.");
  let allowCredentials: { id: string; transports?: never[] }[] = [];
  if (userId) {
    const own = await ctx.db.select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, userId)).all();
    if (own.length === 0) throw new DomainError("PRECONDITION_FAILED", "You have no passkey yet.");
    allowCredentials = own.map((c) => ({ id: c.id, transports: JSON.parse(c.transports) as never[] }));
  }
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({ rpID: ctx.config.RP_ID, userVerification: "required", allowCredentials, timeout: 300_000 });
  await storeChallenge(ctx, options.challenge, purpose, userId ?? null);
  return options;
}
