/**
 * "Edit Profile": names, phone (E.164), location, time zone, job title are saved at once (audit diff).
 * A new email address is NOT applied: a single-use link (24 h) is sent to the new address, and the change
 * happens when it is opened (confirm-email-change.ts). Asking for an email change needs a fresh sign-in
 * (step-up), since whoever controls the email controls password resets.
 *
 * The answer is the same whether or not the new address already belongs to another account (no account
 * enumeration from the profile screen): the link goes out either way, and a clash is refused when the link
 * is opened (confirm-email-change.ts), by whoever owns that mailbox.
 */
import { and, eq } from "drizzle-orm";
import { atomically } from "../../db/atomic";
import { emailChanges, users } from "../../db/schema";
import { notFound } from "../../errors";
import { sha256Hex, toBase64Url } from "../../integrations/crypto/encoding";
import { auditIfChanged, diffOf } from "../audit/record";
import type { ActorContext } from "../context";
import { dispatchEmails, prepareNotification, type PreparedEmails } from "../email/notify";
import { requireFreshAuth, whenText } from "../mfa/internal";
import { getProfile } from "./get-profile";
import { ProfileInput } from "../../contract/inputs/account";

export const EMAIL_CHANGE_TTL_MS = 24 * 3_600_000;

/** The pending change of address (one at a time: earlier links stop working) and its confirmation email. */
async function emailChangeRequest(ctx: ActorContext, input: ProfileInput, now: number) {
  const userId = ctx.principal.userId;
  const token = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const tokenHash = await sha256Hex(token);
  const expiresAt = now + EMAIL_CHANGE_TTL_MS;
  const origin = ctx.config.PUBLIC_ORIGIN.replace(/\/$/, "");
  const mail = await prepareNotification(ctx, {
    event: "email.change_confirmation",
    orgId: ctx.principal.orgId,
    to: { address: input.email, name: `${input.firstName} ${input.lastName}` },
    tags: {
      "email_change.confirm_url": `${origin}/confirm-email?token=${token}`,
      "email_change.new_email": input.email,
      "email_change.expires_at": whenText(expiresAt),
    },
    // One mail per link (two requests in the same millisecond must not share a key and lose the second mail).
    idempotencyKey: `email.change_confirmation:${tokenHash}`,
  });
  const statements = [
    // One pending change at a time: earlier links stop working.
    ctx.db.delete(emailChanges).where(and(eq(emailChanges.userId, userId))),
    ctx.db.insert(emailChanges).values({ tokenHash, userId, newEmail: input.email, createdAt: now, expiresAt }),
    ...mail.statements,
  ];
  return { mail, statements };
}

export async function updateProfile(args: { ctx: ActorContext; input: ProfileInput }) {
  const input = ProfileInput.parse(args.input);
  const { ctx } = args;
  const userId = ctx.principal.userId;
  const current = await ctx.db
    .select({ firstName: users.firstName, lastName: users.lastName, email: users.email, phone: users.phone, country: users.country, city: users.city, timeZone: users.timeZone, jobTitle: users.jobTitle, updatedAt: users.updatedAt })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!current) throw notFound("User");

  const next = {
    firstName: input.firstName,
    lastName: input.lastName,
    phone: input.phone ?? null,
    country: input.country ?? null,
    city: input.city ?? null,
    timeZone: input.timeZone,
    jobTitle: input.jobTitle ?? null,
  };
  const { updatedAt, email: currentEmail, ...before } = current;
  const now = ctx.clock.now();
  const statements = [];
  const emailChanging = input.email !== currentEmail;
  let mail: PreparedEmails = { statements: [], messages: [] };
  if (emailChanging) {
    requireFreshAuth(ctx);
    const request = await emailChangeRequest(ctx, input, now);
    mail = request.mail;
    statements.push(...request.statements);
  }
  const diff = diffOf(before, next);
  if (Object.keys(diff).length > 0) {
    statements.unshift(
      ctx.db.update(users).set({ ...next, updatedAt: now }).where(and(eq(users.id, userId), eq(users.updatedAt, updatedAt))),
      auditIfChanged(ctx, { action: "account.profile_updated", orgId: ctx.principal.orgId, targetType: "user", targetId: userId, before, after: next }),
    );
  }
  if (emailChanging) {
    statements.push(
      // Audit the request (the address itself is personal data the user just typed, so it is fine to record).
      auditIfChanged(ctx, { action: "account.email_change_requested", orgId: ctx.principal.orgId, targetType: "user", targetId: userId, after: { newEmail: input.email } }),
    );
  }
  if (statements.length > 0) await atomically(ctx.db, statements);
  await dispatchEmails(ctx, mail.messages);
  return { profile: await getProfile({ ctx }), emailConfirmationSent: emailChanging };
}
