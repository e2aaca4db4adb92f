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
import { commonErrors, json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Passkeys"] });

/** The library's options JSON, passed through untouched to @simplewebauthn/browser (documented as an open object). */
type WebAuthnOptions = Record<string, unknown>;
const IdParam = z.object({ id: z.string().min(1).max(1024) });

const list = route.get("/api/account/passkeys", {
  policy: { audience: "user" },
  summary: "The user's passkeys",
  responses: { 200: json(z.object({ items: z.array(PasskeySchema) }), "Passkeys") },
});

const registerOptions = route.post("/api/account/passkeys/registration/options", {
  policy: { audience: "user" },
  summary: "Start registering a passkey (challenge stored server-side, 5 minutes)",
  responses: { 200: json(WebAuthnOptionsSchema, "PublicKeyCredentialCreationOptionsJSON") },
});

const registerVerify = route.post("/api/account/passkeys/registration/verify", {
  policy: { audience: "user" },
  summary: "Finish registering a named passkey",
  body: FinishRegistrationInput,
  responses: { 201: json(PasskeySchema, "The new passkey") },
});

const rename = route.patch("/api/account/passkeys/{id}", {
  policy: { audience: "user" },
  summary: "Rename a passkey",
  request: { params: IdParam }, body: RenamePasskeyInput,
  responses: { 200: json(z.object({ id: z.string(), name: z.string() }), "Renamed") },
});

const remove = route.delete("/api/account/passkeys/{id}", {
  policy: { audience: "user" },
  summary: "Delete a passkey (step-up)",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" } },
});

const signInOptions = route.post("/api/auth/passkey/options", {
  policy: { audience: "public" },
  summary: "Start a passkey sign-in (discoverable credentials)",
  responses: { 200: json(WebAuthnOptionsSchema, "PublicKeyCredentialRequestOptionsJSON") },
});

const signInVerify = route.post("/api/auth/passkey/verify", {
  policy: { audience: "public" },
  summary: "Finish a passkey sign-in: a full session (a passkey satisfies MFA)",
  body: FinishAuthenticationInput,
  responses: { 200: json(SessionDtoSchema, "Signed in") },
});

const stepUpOptions = route.post("/api/auth/step-up/passkey/options", {
  policy: { audience: "user" },
  summary: "Start a passkey step-up (the user's own passkeys)",
  responses: { 200: json(WebAuthnOptionsSchema, "PublicKeyCredentialRequestOptionsJSON") },
});

const stepUpVerify = route.post("/api/auth/step-up/passkey/verify", {
  policy: { audience: "user" },
  summary: "Finish a passkey step-up",
  body: FinishAuthenticationInput,
  responses: { 204: { description: "Confirmed for the next 5 minutes" } },
});

const secondFactorOptions = route.post("/api/auth/mfa/passkey/options", {
  policy: { audience: "user", partial: ["mfa"] },
  summary: "Second sign-in step with a passkey: options (the user's own passkeys) after the password was accepted",
  responses: { 200: json(WebAuthnOptionsSchema, "PublicKeyCredentialRequestOptionsJSON"), 409: commonErrors[400] },
});

const secondFactorVerify = route.post("/api/auth/mfa/passkey/verify", {
  policy: { audience: "user", partial: ["mfa"] },
  summary: "Second sign-in step with a passkey: signed in; a new session cookie is set",
  body: FinishAuthenticationInput,
  responses: { 200: json(SessionDtoSchema, "Signed in"), 409: commonErrors[400] },
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
