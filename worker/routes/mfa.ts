/**
 * Multi Factor Authentication: the second sign-in step, enrolment (also reachable from a session held at
 * enrolment), recovery codes, disabling, step-up with password (+ code), and the Cloud-Admin's MFA policy.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { SessionDtoSchema } from "../contract/dto";
import { MfaPolicySchema, MfaStatusSchema, RecoveryCodesSchema, TotpSetupSchema } from "../contract/account";
import type { AppEnv } from "../env";
import { stepUp, StepUpInput } from "../domain/auth/step-up";
import { toSessionDto } from "../domain/sessions/dto";
import { disableMfa } from "../domain/mfa/disable-mfa";
import { enableTotp } from "../domain/mfa/enable-totp";
import { getMfaStatus } from "../domain/mfa/get-status";
import { platformMfaPolicy } from "../domain/mfa/internal";
import { regenerateRecoveryCodes } from "../domain/mfa/regenerate-recovery-codes";
import { CodeInput, MfaPolicyInput } from "../contract/inputs/mfa";
import { setMfaPolicy } from "../domain/mfa/set-policy";
import { startTotpEnrolment } from "../domain/mfa/start-totp-enrolment";
import { verifySecondFactor } from "../domain/mfa/verify-second-factor";
import { setSessionCookie } from "../middleware/session";
import { userCtx } from "../domain/context";
import { commonErrors, json, routeGroup } from "./define";

const route = routeGroup({ tags: ["MFA"] });

/** The verbs that check a code are rate-limited (5 attempts per 30 s). */
const rateLimited = { 429: commonErrors[401] } as const;

const verify = route.post("/api/auth/mfa/verify", {
  policy: { audience: "user", partial: ["mfa"] },
  summary: "Second sign-in step: a TOTP code or a recovery code (5 attempts per 30 s)",
  body: CodeInput,
  responses: { 200: json(SessionDtoSchema, "Signed in; a new session cookie is set"), ...rateLimited },
});

const stepUpRoute = route.post("/api/auth/step-up", {
  policy: { audience: "user" },
  summary: "Re-authenticate (password, plus code when MFA is on) before a sensitive action",
  body: StepUpInput,
  responses: { 204: { description: "Confirmed for the next 5 minutes; a new session cookie is set" }, ...rateLimited },
});

const status = route.get("/api/account/mfa", {
  policy: { audience: "user", partial: ["enrol"] },
  summary: "MFA state of the signed-in user (never the secret)",
  responses: { 200: json(MfaStatusSchema, "MFA state") },
});

const setup = route.post("/api/account/mfa/totp/setup", {
  policy: { audience: "user", partial: ["enrol"] },
  summary: "Start enrolment: a new secret and its otpauth:// URI, shown this once",
  responses: { 200: json(TotpSetupSchema, "The new key") },
});

const enable = route.post("/api/account/mfa/totp/enable", {
  policy: { audience: "user", partial: ["enrol"] },
  summary: "Confirm enrolment with a code; answers the ten recovery codes, shown this once",
  body: CodeInput,
  responses: { 200: json(RecoveryCodesSchema, "MFA enabled"), ...rateLimited },
});

const disable = route.post("/api/account/mfa/disable", {
  policy: { audience: "user" },
  summary: "Turn MFA off (step-up and a current code or recovery code)",
  body: CodeInput,
  responses: { 204: { description: "MFA disabled" }, ...rateLimited },
});

const regenerate = route.post("/api/account/mfa/recovery-codes", {
  policy: { audience: "user" },
  summary: "Replace the recovery codes (step-up); the old ones stop working",
  responses: { 200: json(RecoveryCodesSchema, "The new codes, shown this once"), ...rateLimited },
});

const getPolicy = route.get("/api/admin/mfa-policy", {
  policy: { audience: "admin" },
  summary: "Platform MFA policy",
  responses: { 200: json(MfaPolicySchema, "The policy") },
});

const putPolicy = route.put("/api/admin/mfa-policy", {
  policy: { audience: "admin" },
  summary: "Require MFA for staff (and optionally every user): they enrol at their next sign-in",
  body: MfaPolicyInput,
  responses: { 200: json(MfaPolicySchema, "The policy") },
});

export const mfaRoutes = new OpenAPIHono<AppEnv>()
  .openapi(verify, async (c) => {
    const { session, principal } = await verifySecondFactor({ ctx: userCtx(c), input: c.req.valid("json") });
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json(toSessionDto(principal, session.expiresAt), 200);
  })
  .openapi(stepUpRoute, async (c) => {
    const { session } = await stepUp({ ctx: userCtx(c), input: c.req.valid("json") });
    setSessionCookie(c, session.token, session.expiresAt);
    return c.body(null, 204);
  })
  .openapi(status, async (c) => c.json(await getMfaStatus({ ctx: userCtx(c) }), 200))
  .openapi(setup, async (c) => c.json(await startTotpEnrolment({ ctx: userCtx(c) }), 200))
  .openapi(enable, async (c) => {
    const { recoveryCodes, session } = await enableTotp({ ctx: userCtx(c), input: c.req.valid("json") });
    if (session) setSessionCookie(c, session.token, session.expiresAt);
    return c.json({ recoveryCodes }, 200);
  })
  .openapi(disable, async (c) => {
    await disableMfa({ ctx: userCtx(c), input: c.req.valid("json") });
    return c.body(null, 204);
  })
  .openapi(regenerate, async (c) => c.json(await regenerateRecoveryCodes({ ctx: userCtx(c) }), 200))
  .openapi(getPolicy, async (c) => c.json(await platformMfaPolicy(userCtx(c)), 200))
  .openapi(putPolicy, async (c) => c.json(await setMfaPolicy({ ctx: userCtx(c), input: c.req.valid("json") }), 200));
