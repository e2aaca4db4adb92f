/**
 * Session creation and rotation. A session id changes whenever the level of proof changes (sign-in,
 * second factor, step-up): the old row is revoked and a new one inserted in the SAME batch, so a token seen
 * before the change (e.g. a half-signed-in cookie) is worth nothing afterwards (ASVS 7.2.4).
 */
import { and, eq, isNull } from "drizzle-orm";
import { sessions } from "../../db/schema";
import type { DomainContext, SessionStage } from "../context";
import { absoluteMs, newSessionToken, sessionIdFor } from "./store";

/** A half-signed-in session (second factor or enrolment pending) lives at most this long. */
export const PARTIAL_SESSION_MS = 10 * 60_000;

export interface NewSession {
  token: string;
  id: string;
  expiresAt: number;
  stage: SessionStage;
}

export async function newSession(ctx: DomainContext, stage: SessionStage, now = ctx.clock.now()): Promise<NewSession> {
  const token = newSessionToken();
  const expiresAt = now + (stage === "full" ? absoluteMs(ctx.config) : Math.min(PARTIAL_SESSION_MS, absoluteMs(ctx.config)));
  return { token, id: await sessionIdFor(token), expiresAt, stage };
}

/** The insert for `s` (proof of identity at `authAt`), to include in the caller's batch. */
export function insertSession(ctx: DomainContext, userId: string, s: NewSession, authAt: number) {
  const now = ctx.clock.now();
  return ctx.db.insert(sessions).values({
    id: s.id,
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: s.expiresAt,
    stage: s.stage,
    authAt,
    ip: ctx.ip,
    userAgent: ctx.userAgent?.slice(0, 512) ?? null,
  });
}

/** Revokes one live session (part of a rotation batch). */
export function revokeSession(ctx: DomainContext, sessionId: string) {
  return ctx.db
    .update(sessions)
    .set({ revokedAt: ctx.clock.now() })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/**
 * Statements that replace the request's session with a new full session proved at `now` (second factor,
 * enrolment, step-up), keeping its absolute expiry for a step-up and starting a new one after sign-in.
 */
export async function rotationFor(ctx: DomainContext & { session?: { id: string; stage: SessionStage; expiresAt: number } }, userId: string) {
  if (!ctx.session) throw new Error("rotationFor needs a session");
  const now = ctx.clock.now();
  const next = await newSession(ctx, "full", now);
  // A step-up keeps the sign-in's absolute lifetime: re-authenticating must not extend a session forever.
  if (ctx.session.stage === "full") next.expiresAt = ctx.session.expiresAt;
  return { next, statements: [revokeSession(ctx, ctx.session.id), insertSession(ctx, userId, next, now)] };
}
