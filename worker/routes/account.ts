/**
 * Account Settings for every signed-in user: Personal Profile, email-change confirmation, Change Password and
 * the list of signed-in sessions. Everything acts on the caller's own account only (no ids of other users).
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { LoginSessionSchema, ProfileSchema, ProfileUpdateResultSchema } from "../contract/account";
import type { AppEnv } from "../env";
import { changePassword } from "../domain/account/change-password";
import { confirmEmailChange } from "../domain/account/confirm-email-change";
import { getProfile } from "../domain/account/get-profile";
import { listSessions } from "../domain/account/list-sessions";
import { revokeOtherSessions, revokeSession } from "../domain/account/revoke-sessions";
import { ChangePasswordInput, ConfirmEmailInput, ProfileInput } from "../contract/inputs/account";
import { updateProfile } from "../domain/account/update-profile";
import { setSessionCookie } from "../middleware/session";
import { userCtx, requestCtx } from "../domain/context";
import { json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Account"] });

const profile = route.get("/api/account/profile", {
  policy: { audience: "user" },
  summary: "Personal Profile of the signed-in user",
  responses: { 200: json(ProfileSchema, "The profile") },
});

const saveProfile = route.put("/api/account/profile", {
  policy: { audience: "user" },
  summary: "Save the Personal Profile (a new email address is applied only after its confirmation link is opened)",
  body: ProfileInput,
  responses: { 200: json(ProfileUpdateResultSchema, "Saved") },
});

const confirmEmail = route.post("/api/account/email/confirm", {
  // The link may be opened signed out or on another device: the single-use token is the authorization.
  policy: { audience: "public" },
  summary: "Confirm an email change with the token from the link sent to the new address",
  body: ConfirmEmailInput,
  responses: { 200: json(z.object({ email: z.string() }), "The email address is changed") },
});

const password = route.post("/api/account/password", {
  policy: { audience: "user" },
  summary: "Change Password: other sessions are signed out, this one continues under a new id",
  body: ChangePasswordInput,
  responses: { 204: { description: "Changed" } },
});

const sessionsList = route.get("/api/account/sessions", {
  policy: { audience: "user" },
  summary: "Signed-in sessions of the user",
  responses: { 200: json(z.object({ items: z.array(LoginSessionSchema) }), "Sessions") },
});

const revokeOthers = route.post("/api/account/sessions/revoke-others", {
  policy: { audience: "user" },
  summary: "Sign out every other session",
  responses: { 200: json(z.object({ revoked: z.number().int() }), "How many were signed out") },
});

const revokeOne = route.delete("/api/account/sessions/{id}", {
  policy: { audience: "user" },
  summary: "Sign out one other session",
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 204: { description: "Signed out" } },
});

export const accountRoutes = new OpenAPIHono<AppEnv>()
  .openapi(profile, async (c) => c.json(await getProfile({ ctx: userCtx(c) }), 200))
  .openapi(saveProfile, async (c) => c.json(await updateProfile({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(confirmEmail, async (c) => c.json(await confirmEmailChange({ ctx: requestCtx(c), input: c.req.valid("json") }), 200))
  .openapi(password, async (c) => {
    const { session } = await changePassword({ ctx: userCtx(c), input: c.req.valid("json") });
    setSessionCookie(c, session.token, session.expiresAt);
    return c.body(null, 204);
  })
  .openapi(sessionsList, async (c) => c.json({ items: await listSessions({ ctx: userCtx(c) }) }, 200))
  .openapi(revokeOthers, async (c) => c.json(await revokeOtherSessions({ ctx: userCtx(c) }), 200))
  .openapi(revokeOne, async (c) => {
    await revokeSession({ ctx: userCtx(c), input: { id: c.req.valid("param").id } });
    return c.body(null, 204);
  });
