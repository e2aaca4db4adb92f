import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { StaffMemberSchema } from "../contract/dto";
import type { AppEnv } from "../env";
import { listStaff, SetPrivilegesInput, setStaffPrivileges } from "../domain/staff";
import { json, routeGroup } from "./define";
import { userCtx } from "../domain/context";

const route = routeGroup({ tags: ["Staff"] });

const list = route.get("/api/staff", {
  policy: { audience: "admin" },
  summary: "The Cloud-Admin and staff members with their privileges",
  responses: { 200: json(z.object({ items: z.array(StaffMemberSchema) }), "Staff members") },
});

const setPrivileges = route.put("/api/staff/{id}/privileges", {
  policy: { audience: "admin" },
  summary: "Replace a staff member's privileges",
  request: { params: z.object({ id: z.string().min(1).max(64) }) }, body: SetPrivilegesInput,
  responses: { 200: json(StaffMemberSchema, "The updated staff member") },
});

export const staffRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json({ items: await listStaff({ ctx: userCtx(c) }) }, 200))
  .openapi(setPrivileges, async (c) =>
    c.json(await setStaffPrivileges({ ctx: userCtx(c), userId: c.req.valid("param").id, input: c.req.valid("json") }), 200),
  );
