/**
 * "Please Enable your MFA First": creates a NEW random seed (160 bits, CSPRNG), stores it sealed as a
 * pending credential (replacing an earlier pending one, never an active one) and returns it ONCE, with the
 * otpauth:// URI naming issuer and account, for the QR code and manual entry.
 */
import { sql } from "drizzle-orm";
import { Secret } from "otpauth";
import { conflict } from "../../errors";
import { encryptSecret } from "../../integrations/crypto/secrets";
import type { ActorContext } from "../context";
import { activeTotp, totpAad, totpFor } from "./internal";

export async function startTotpEnrolment(args: { ctx: ActorContext }) {
  const { ctx } = args;
  const userId = ctx.principal.userId;
  if (await activeTotp(ctx, userId)) throw conflict("Multi-factor authentication is already enabled.");
  const secret = new Secret({ size: 20 }).base32;
  const sealed = await encryptSecret(ctx.config.SECRETS_KEY, secret, totpAad(userId));
  const now = ctx.clock.now();
  const res = await ctx.db.run(sql`
    INSERT INTO totp_credentials (user_id, secret_sealed, status, last_used_counter, created_at) VALUES (${userId}, ${sealed}, 'pending', -1, ${now})
    ON CONFLICT(user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, created_at = excluded.created_at, last_used_counter = -1
    WHERE totp_credentials.status = 'pending'`);
  if (res.meta.changes !== 1) throw conflict("Multi-factor authentication is already enabled.");
  const uri = totpFor(secret, ctx.principal.email, ctx.config.RP_NAME).toString();
  return { secret, uri, issuer: ctx.config.RP_NAME, account: ctx.principal.email };
}
