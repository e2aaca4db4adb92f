import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { SessionDtoSchema } from "../contract/dto";
import { LoginResponseSchema, type SecondFactorStep } from "../contract/account";
import type { AppEnv } from "../env";
import { loginWithPassword } from "../domain/auth/login";
import { logout } from "../domain/auth/logout";
import { LoginInput } from "../contract/inputs/auth";
import { toSessionDto } from "../domain/sessions/dto";
import { clearSessionCookie, setSessionCookie } from "../middleware/session";
import { commonErrors, json, routeGroup } from "./define";
import { userCtx, requestCtx } from "../domain/context";

/** Signing in and out answer only "not signed in" (and, for the password, its own refusals). */
const route = routeGroup({ tags: ["Auth"], errors: { 401: commonErrors[401] } });

const login = route.post("/api/auth/login", {
  policy: { audience: "public" },
  summary: "Sign in with email and password",
  body: LoginInput,
  responses: {
    200: json(LoginResponseSchema, "Signed in (session), or the password was accepted and a second factor / MFA enrolment comes next (half-signed-in cookie set)"),
    400: commonErrors[400],
    401: json(commonErrors[401].content["application/json"].schema, "Email or password is incorrect (INVALID_CREDENTIALS)"),
    429: json(commonErrors[401].content["application/json"].schema, "Too many failed attempts (RATE_LIMITED); see Retry-After"),
  },
});

const signOut = route.post("/api/auth/logout", {
  // A half-signed-in user may abandon the second step too.
  policy: { audience: "user", partial: ["mfa", "enrol"] },
  summary: "Sign out: revokes the session on the server",
  request: { body: { content: { "application/json": { schema: z.object({}).strict() } }, required: false } },
  responses: { 204: { description: "Signed out" } },
});

const currentSession = route.get("/api/auth/session", {
  policy: { audience: "user" },
  summary: "The signed-in user and session",
  responses: { 200: json(SessionDtoSchema, "The current session") },
});

export const authRoutes = new OpenAPIHono<AppEnv>()
  .openapi(login, async (c) => {
    const result = await loginWithPassword({ ctx: requestCtx(c), input: c.req.valid("json"), userAgent: c.req.header("user-agent") ?? null });
    setSessionCookie(c, result.token, result.expiresAt);
    if (result.stage !== "full") {
      const step: SecondFactorStep = {
        next: result.stage,
        methods: result.methods,
        expiresAt: new Date(result.expiresAt).toISOString(),
      };
      return c.json(step, 200);
    }
    return c.json(toSessionDto(result.principal, result.expiresAt), 200);
  })
  .openapi(signOut, async (c) => {
    await logout({ ctx: userCtx(c), sessionId: c.var.sessionId! });
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .openapi(currentSession, async (c) => {
    const ctx = userCtx(c);
    return c.json(toSessionDto(ctx.principal, c.var.sessionExpiresAt!), 200);
  });
