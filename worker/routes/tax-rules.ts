import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { TaxRuleInput, TaxRuleSchema, TaxRuleUpdateInput } from "../contract/billing";
import type { AppEnv } from "../env";
import { createTaxRule } from "../domain/tax/create";
import { deleteTaxRule } from "../domain/tax/delete";
import { listTaxRules } from "../domain/tax/list";
import { updateTaxRule } from "../domain/tax/update";
import { commonErrors, json, routeGroup } from "./define";
import { userCtx } from "../domain/context";

const route = routeGroup({ tags: ["Tax rules"] });

const IdParam = z.object({ id: z.string().min(1).max(64) });

const list = route.get("/api/tax-rules", {
  policy: { audience: "operator", privilege: "billing.read" },
  summary: "Tax rules (not deleted) with their rate history",
  responses: { 200: json(z.object({ items: z.array(TaxRuleSchema) }), "The tax rules") },
});
const create = route.post("/api/tax-rules", {
  policy: { audience: "operator", privilege: "billing.write" }, summary: "Create Rule", body: TaxRuleInput,
  responses: { 201: json(TaxRuleSchema, "The new rule") },
});
const update = route.put("/api/tax-rules/{id}", {
  policy: { audience: "operator", privilege: "billing.write" },
  summary: "Edit a rule (a rate change adds a version effective from a date; never retroactive)", request: { params: IdParam }, body: TaxRuleUpdateInput,
  responses: { 200: json(TaxRuleSchema, "The updated rule"), 409: commonErrors[400] },
});
const remove = route.delete("/api/tax-rules/{id}", {
  policy: { audience: "operator", privilege: "billing.write" },
  summary: "Delete a rule (issued invoices keep their frozen copy)", request: { params: IdParam },
  responses: { 204: { description: "Deleted" } },
});

export const taxRuleRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json({ items: await listTaxRules({ ctx: userCtx(c) }) }, 200))
  .openapi(create, async (c) => c.json(await createTaxRule({ ctx: userCtx(c), input: c.req.valid("json") }), 201))
  .openapi(update, async (c) => c.json(await updateTaxRule({ ctx: userCtx(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200))
  .openapi(remove, async (c) => {
    await deleteTaxRule({ ctx: userCtx(c), id: c.req.valid("param").id });
    return c.body(null, 204);
  });
