/**
 * Passkeys: registration and management on the account screens, discoverable sign-in from the sign-in page,
 * and passkey step-up. The WebAuthn library is loaded lazily inside the domain verbs.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { SessionDtoSchema } from "../contract/dto";
import { PasskeySchema, WebAuthnOptionsSchema } from "../contract/account";
import type { AppEnv } from "../env";
import { toSessionDto } from "../domain/sessions/dto";
import { deletePasskey } from "../domain/passkeys/delete";
import { finishPasskeyAuthentication } from "../domain/passkeys/finish-authentication";
import { finishPasskeyRegistration } from "../domain/passkeys/finish-registration";
import { listPasskeys } from "../domain/passkeys/list";
import { renamePasskey } from "../domain/passkeys/rename";
import { FinishAuthenticationInput, FinishRegistrationInput, RenamePasskeyInput } from "../contract/inputs/passkeys";
import { startPasskeyAuthentication } from "../domain/passkeys/start-authentication";
import { startPasskeyRegistration } from "../domain/passkeys/start-registration";
import { setSessionCookie } from "../middleware/session";
import { userCtx, requestCtx } from "../domain/context";
import { commonErrors, defineRoute, json, jsonBody } from "./define";

const tags = ["Passkeys"];
/** The library's options JSON, passed through untouched to @simplewebauthn/browser (documented as an open object). */
type WebAuthnOptions = Record<string, unknown>;
const IdParam = z.object({ id: z.string().min(1).max(1024) });

const list = defineRoute({
  method: "get",
  path: "/api/account/passkeys",
  policy: { audience: "user" },
  tags,
  summary: "The user's passkeys",
  responses: { 200: json(z.object({ items: z.array(PasskeySchema) }), "Passkeys"), ...commonErrors },
});

const registerOptions = defineRoute({
  method: "post",
  path: "/api/account/passkeys/registration/options",
  policy: { audience: "user" },
  tags,
  summary: "Start registering a passkey (challenge stored server-side, 5 minutes)",
  responses: { 200: json(WebAuthnOptionsSchema, "PublicKeyCredentialCreationOptionsJSON"), ...commonErrors },
});

const registerVerify = defineRoute({
  method: "post",
  path: "/api/account/passkeys/registration/verify",
  policy: { audience: "user" },
  tags,
  summary: "Finish registering a named passkey",
  request: { body: jsonBody(FinishRegistrationInput) },
  responses: { 201: json(PasskeySchema, "The new passkey"), ...commonErrors },
});

const rename = defineRoute({
  method: "patch",
  path: "/api/account/passkeys/{id}",
  policy: { audience: "user" },
  tags,
  summary: "Rename a passkey",
  request: { params: IdParam, body: jsonBody(RenamePasskeyInput) },
  responses: { 200: json(z.object({ id: z.string(), name: z.string() }), "Renamed"), ...commonErrors },
});

const remove = defineRoute({
  method: "delete",
  path: "/api/account/passkeys/{id}",
  policy: { audience: "user" },
  tags,
  summary: "Delete a passkey (step-up)",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...commonErrors },
});

const signInOptions = defineRoute({
  method: "post",
  path: "/api/auth/passkey/options",
  policy: { audience: "public" },
  tags,
  summary: "Start a passkey sign-in (discoverable credentials)",
  responses: { 200: json(WebAuthnOptionsSchema, "PublicKeyCredentialRequestOptionsJSON"), ...commonErrors },
});

const signInVerify = defineRoute({
  method: "post",
  path: "/api/auth/passkey/verify",
  policy: { audience: "public" },
  tags,
  summary: "Finish a passkey sign-in: a full session (a passkey satisfies MFA)",
  request: { body: jsonBody(FinishAuthenticationInput) },
  responses: { 200: json(SessionDtoSchema, "Signed in"), ...commonErrors },
});

const stepUpOptions = defineRoute({
  method: "post",
  path: "/api/auth/step-up/passkey/options",
  policy: { audience: "user" },
  tags,
  summary: "Start a passkey step-up (the user's own passkeys)",
  responses: { 200: json(WebAuthnOptionsSchema, "PublicKeyCredentialRequestOptionsJSON"), ...commonErrors },
});

const stepUpVerify = defineRoute({
  method: "post",
  path: "/api/auth/step-up/passkey/verify",
  policy: { audience: "user" },
  tags,
  summary: "Finish a passkey step-up",
  request: { body: jsonBody(FinishAuthenticationInput) },
  responses: { 204: { description: "Confirmed for the next 5 minutes" }, ...commonErrors },
});

const secondFactorOptions = defineRoute({
  method: "post",
  path: "/api/auth/mfa/passkey/options",
  policy: { audience: "user", partial: ["mfa"] },
  tags,
  summary: "Second sign-in step with a passkey: options (the user's own passkeys) after the password was accepted",
  responses: { 200: json(WebAuthnOptionsSchema, "PublicKeyCredentialRequestOptionsJSON"), 409: commonErrors[400], ...commonErrors },
});

const secondFactorVerify = defineRoute({
  method: "post",
  path: "/api/auth/mfa/passkey/verify",
  policy: { audience: "user", partial: ["mfa"] },
  tags,
  summary: "Second sign-in step with a passkey: signed in; a new session cookie is set",
  request: { body: jsonBody(FinishAuthenticationInput) },
  responses: { 200: json(SessionDtoSchema, "Signed in"), 409: commonErrors[400], ...commonErrors },
});

export const passkeyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json({ items: await listPasskeys({ ctx: userCtx(c) }) }, 200))
  .openapi(registerOptions, async (c) => c.json((await startPasskeyRegistration({ ctx: userCtx(c) })) as unknown as WebAuthnOptions, 200))
  .openapi(registerVerify, async (c) => c.json(await finishPasskeyRegistration({ ctx: userCtx(c), input: c.req.valid("json") }), 201))
  .openapi(rename, async (c) => c.json(await renamePasskey({ ctx: userCtx(c), input: { id: c.req.valid("param").id, name: c.req.valid("json").name } }), 200))
  .openapi(remove, async (c) => {
    await deletePasskey({ ctx: userCtx(c), input: { id: c.req.valid("param").id } });
    return c.body(null, 204);
  })
  .openapi(signInOptions, async (c) => c.json((await startPasskeyAuthentication({ ctx: requestCtx(c), input: { purpose: "sign_in" } })) as unknown as WebAuthnOptions, 200))
  .openapi(signInVerify, async (c) => {
    const { session, principal } = await finishPasskeyAuthentication({ ctx: requestCtx(c), input: { ...c.req.valid("json"), purpose: "sign_in" } });
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json(toSessionDto(principal, session.expiresAt), 200);
  })
  .openapi(secondFactorOptions, async (c) => c.json((await startPasskeyAuthentication({ ctx: userCtx(c), input: { purpose: "second_factor" } })) as unknown as WebAuthnOptions, 200))
  .openapi(secondFactorVerify, async (c) => {
    const { session, principal } = await finishPasskeyAuthentication({ ctx: userCtx(c), input: { ...c.req.valid("json"), purpose: "second_factor" } });
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json(toSessionDto(principal, session.expiresAt), 200);
  })
  .openapi(stepUpOptions, async (c) => c.json((await startPasskeyAuthentication({ ctx: userCtx(c), input: { purpose: "step_up" } })) as unknown as WebAuthnOptions, 200))
  .openapi(stepUpVerify, async (c) => {
    const { session } = await finishPasskeyAuthentication({ ctx: userCtx(c), input: { ...c.req.valid("json"), purpose: "step_up" } });
    setSessionCookie(c, session.token, session.expiresAt);
    return c.body(null, 204);
  });
