/**
 * Dunning (docs/decisions/018-dunning.md): the "Dunning Process" section of Billing Configurations, the Dunning
 * screen (cases, timeline, pause/exempt/resume), and each organization's own standing (banner, pay-only screen).
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { DeclineExtensionInput, DunningCaseSchema, DunningListQuery, DunningListSchema, DunningPolicySchema, DunningPreviewSchema, DunningSettingsSchema, DunningStandingSchema, ExtensionRequestSchema, PauseDunningInput, RequestExtensionInput } from "../contract/dunning";
import { approveExtension } from "../domain/dunning/approve-extension";
import { declineExtension } from "../domain/dunning/decline-extension";
import { requestExtension } from "../domain/dunning/request-extension";
import { getDunningCase, listDunningCases, pauseDunningCase, resumeDunningCase } from "../domain/dunning/cases";
import { ownDunningStanding } from "../domain/dunning/standing";
import { getDunningSettings, previewDunningSettings, updateDunningSettings } from "../domain/dunning/update-settings";
import type { AppEnv } from "../env";
import { userCtx } from "../domain/context";
import { commonErrors, json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Dunning"] });

const READ = { audience: "operator", privilege: "billing.read" } as const;
const WRITE = { audience: "operator", privilege: "billing.write" } as const;
const OrgParam = z.object({ orgId: z.string().min(1).max(64) });

const getSettings = route.get("/api/billing/dunning-settings", { policy: READ, summary: "Dunning Process: the policy and what it means today", responses: { 200: json(DunningSettingsSchema, "The policy") } });
const putSettings = route.put("/api/billing/dunning-settings", { policy: WRITE, summary: "Save the Dunning Process (open cases keep their policy)", body: DunningPolicySchema, responses: { 200: json(DunningSettingsSchema, "Saved") } });
const preview = route.post("/api/billing/dunning-settings/preview", { policy: READ, summary: "What saving this policy would do today", body: DunningPolicySchema, responses: { 200: json(DunningPreviewSchema, "The preview") } });
const list = route.get("/api/billing/dunning", { policy: READ, summary: "Organizations in dunning", request: { query: DunningListQuery }, responses: { 200: json(DunningListSchema, "The cases") } });
const one = route.get("/api/billing/dunning/{orgId}", { policy: READ, summary: "One organization's case and timeline", request: { params: OrgParam }, responses: { 200: json(DunningCaseSchema, "The case") } });
const pause = route.post("/api/billing/dunning/{orgId}/pause", { policy: WRITE, summary: "Pause until a date (promise to pay) or exempt (no date), with a reason", request: { params: OrgParam }, body: PauseDunningInput, responses: { 200: json(DunningCaseSchema, "Paused"), 409: commonErrors[400] } });
const resume = route.post("/api/billing/dunning/{orgId}/resume", { policy: WRITE, summary: "Resume a paused or exempt case", request: { params: OrgParam }, responses: { 200: json(DunningCaseSchema, "Resumed"), 409: commonErrors[400] } });
const standing = route.get("/api/account/dunning", { policy: { audience: "user" }, summary: "The signed-in user's organization: overdue amount, phase and dates (banner, pay-only screen)", responses: { 200: json(DunningStandingSchema, "Standing") } });
const askExtension = route.post("/api/account/dunning/extension", { policy: { audience: "user" }, summary: "Ask for more time to pay (Warning Notification or later; one open request per case)", body: RequestExtensionInput, responses: { 201: json(ExtensionRequestSchema, "Requested"), 409: commonErrors[400] } });
const approve = route.post("/api/billing/dunning/{orgId}/extension/approve", { policy: WRITE, summary: "Approve the open request for more time (pauses the case until then; the customer is emailed)", request: { params: OrgParam }, responses: { 200: json(DunningCaseSchema, "Approved"), 409: commonErrors[400] } });
const decline = route.post("/api/billing/dunning/{orgId}/extension/decline", { policy: WRITE, summary: "Decline the open request for more time, with the reason the customer is told", request: { params: OrgParam }, body: DeclineExtensionInput, responses: { 200: json(DunningCaseSchema, "Declined"), 409: commonErrors[400] } });

export const dunningRoutes = new OpenAPIHono<AppEnv>()
  .openapi(getSettings, async (c) => c.json(await getDunningSettings({ ctx: userCtx(c) }), 200))
  .openapi(putSettings, async (c) => c.json(await updateDunningSettings({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(preview, async (c) => c.json(await previewDunningSettings({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    return c.json(await listDunningCases({ ctx: userCtx(c), input: { state: q.state, search: q.search, all: q.all === "true", page: q.page, pageSize: q.pageSize } }), 200);
  })
  .openapi(one, async (c) => c.json(await getDunningCase({ ctx: userCtx(c), orgId: c.req.valid("param").orgId }), 200))
  .openapi(pause, async (c) => c.json(await pauseDunningCase({ ctx: userCtx(c), orgId: c.req.valid("param").orgId, input: c.req.valid("json") }), 200))
  .openapi(resume, async (c) => c.json(await resumeDunningCase({ ctx: userCtx(c), orgId: c.req.valid("param").orgId }), 200))
  .openapi(standing, async (c) => c.json(await ownDunningStanding({ ctx: userCtx(c) }), 200))
  .openapi(askExtension, async (c) => c.json(await requestExtension({ ctx: userCtx(c), input: c.req.valid("json") }), 201))
  .openapi(approve, async (c) => c.json(await approveExtension({ ctx: userCtx(c), orgId: c.req.valid("param").orgId }), 200))
  .openapi(decline, async (c) => c.json(await declineExtension({ ctx: userCtx(c), orgId: c.req.valid("param").orgId, input: c.req.valid("json") }), 200));
