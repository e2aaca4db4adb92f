/**
 * Options for a passkey assertion. `sign_in`: discoverable (no user known, empty allow-list, from the sign-in
 * page). `step_up`: the signed-in user's own passkeys only. The challenge is stored server-side either way.
 */
import { eq } from "drizzle-orm";
import { passkeys } from "../../db/schema";
import { DomainError } from "../../errors";
import type { DomainContext } from "../context";
import { storeChallenge, webauthn } from "./internal";

export async function startPasskeyAuthentication(args: { ctx: DomainContext; input: { purpose: "sign_in" | "step_up" } }) {
  const { ctx } = args;
  const userId = args.input.purpose === "step_up" ? ctx.principal?.userId : null;
  if (args.input.purpose === "step_up" && !userId) throw new DomainError("UNAUTHENTICATED", "Please sign in.");
  let allowCredentials: { id: string; transports?: never[] }[] = [];
  if (userId) {
    const own = await ctx.db.select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, userId)).all();
    if (own.length === 0) throw new DomainError("PRECONDITION_FAILED", "You have no passkey yet.");
    allowCredentials = own.map((c) => ({ id: c.id, transports: JSON.parse(c.transports) as never[] }));
  }
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({ rpID: ctx.config.RP_ID, userVerification: "required", allowCredentials, timeout: 300_000 });
  await storeChallenge(ctx, options.challenge, args.input.purpose, userId ?? null);
  return options;
}
