import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { ContractInput, ContractSchema, PlanInput, PlanSchema, ProductInput, ProductSchema } from "../contract/catalogue";
import { pageSchema } from "../contract/dto";
import type { AppEnv } from "../env";
import { getContract, listContracts, ListContractsInput } from "../domain/catalogue/list-contracts";
import { listPlans } from "../domain/catalogue/list-plans";
import { OrganizationOptionsInput, organizationOptions } from "../domain/catalogue/organization-options";
import { listProducts } from "../domain/catalogue/list-products";
import { createContract, updateContract } from "../domain/catalogue/save-contract";
import { createPlan, updatePlan } from "../domain/catalogue/save-plan";
import { createProduct, updateProduct } from "../domain/catalogue/save-product";
import { userCtx } from "../domain/context";
import { commonErrors, defineRoute, json, jsonBody } from "./define";

const IdParam = z.object({ id: z.string().min(1).max(64) });
const read = { audience: "operator", privilege: "billing.read" } as const;
const write = { audience: "operator", privilege: "billing.write" } as const;
const tag = ["Catalogue"];

const listProductsRoute = defineRoute({ method: "get", path: "/api/products", policy: read, tags: tag, summary: "Products of the catalogue", responses: { 200: json(z.object({ items: z.array(ProductSchema) }), "All products"), ...commonErrors } });
const createProductRoute = defineRoute({ method: "post", path: "/api/products", policy: write, tags: tag, summary: "Create a product", request: { body: jsonBody(ProductInput) }, responses: { 201: json(ProductSchema, "Created"), ...commonErrors } });
const updateProductRoute = defineRoute({ method: "put", path: "/api/products/{id}", policy: write, tags: tag, summary: "Edit a product", request: { params: IdParam, body: jsonBody(ProductInput) }, responses: { 200: json(ProductSchema, "Updated"), 409: commonErrors[400], ...commonErrors } });

const listPlansRoute = defineRoute({ method: "get", path: "/api/plans", policy: read, tags: tag, summary: "Plans with their products", responses: { 200: json(z.object({ items: z.array(PlanSchema) }), "All plans"), ...commonErrors } });
const createPlanRoute = defineRoute({ method: "post", path: "/api/plans", policy: write, tags: tag, summary: "Create a plan", request: { body: jsonBody(PlanInput) }, responses: { 201: json(PlanSchema, "Created"), ...commonErrors } });
const updatePlanRoute = defineRoute({ method: "put", path: "/api/plans/{id}", policy: write, tags: tag, summary: "Edit a plan and its products", request: { params: IdParam, body: jsonBody(PlanInput) }, responses: { 200: json(PlanSchema, "Updated"), 409: commonErrors[400], ...commonErrors } });

const listContractsRoute = defineRoute({ method: "get", path: "/api/contracts", policy: { audience: "tenant", privilege: "billing.read" }, tags: tag, summary: "Contracts visible to the caller", request: { query: ListContractsInput }, responses: { 200: json(pageSchema(ContractSchema), "A page of contracts"), ...commonErrors } });
const getContractRoute = defineRoute({ method: "get", path: "/api/contracts/{id}", policy: { audience: "tenant", privilege: "billing.read" }, tags: tag, summary: "One contract", request: { params: IdParam }, responses: { 200: json(ContractSchema, "The contract"), ...commonErrors } });
const createContractRoute = defineRoute({ method: "post", path: "/api/contracts", policy: write, tags: tag, summary: "Assign a plan to a customer or reseller", request: { body: jsonBody(ContractInput) }, responses: { 201: json(ContractSchema, "Created"), ...commonErrors } });
const updateContractRoute = defineRoute({ method: "put", path: "/api/contracts/{id}", policy: write, tags: tag, summary: "Edit a contract", request: { params: IdParam, body: jsonBody(ContractInput) }, responses: { 200: json(ContractSchema, "Updated"), 409: commonErrors[400], ...commonErrors } });

const orgOptionsRoute = defineRoute({
  method: "get", path: "/api/billing/organization-options", policy: { audience: "tenant", privilege: "billing.read" }, tags: tag,
  summary: "Organizations to choose from in billing forms and filters (id, name, kind, country; first 100 matching q and kind, plus `include`)",
  request: { query: OrganizationOptionsInput },
  responses: { 200: json(z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(["operator", "reseller", "customer"]), country: z.string() })) }), "Organizations"), ...commonErrors },
});

export const catalogueRoutes = new OpenAPIHono<AppEnv>()
  .openapi(orgOptionsRoute, async (c) => c.json({ items: await organizationOptions({ ctx: userCtx(c), input: c.req.valid("query") }) }, 200))
  .openapi(listProductsRoute, async (c) => c.json({ items: await listProducts({ ctx: userCtx(c) }) }, 200))
  .openapi(createProductRoute, async (c) => c.json(await createProduct({ ctx: userCtx(c), input: c.req.valid("json") }), 201))
  .openapi(updateProductRoute, async (c) => c.json(await updateProduct({ ctx: userCtx(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200))
  .openapi(listPlansRoute, async (c) => c.json({ items: await listPlans({ ctx: userCtx(c) }) }, 200))
  .openapi(createPlanRoute, async (c) => c.json(await createPlan({ ctx: userCtx(c), input: c.req.valid("json") }), 201))
  .openapi(updatePlanRoute, async (c) => c.json(await updatePlan({ ctx: userCtx(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200))
  .openapi(listContractsRoute, async (c) => c.json(await listContracts({ ctx: userCtx(c), input: c.req.valid("query") }), 200))
  .openapi(getContractRoute, async (c) => c.json(await getContract({ ctx: userCtx(c), id: c.req.valid("param").id }), 200))
  .openapi(createContractRoute, async (c) => c.json(await createContract({ ctx: userCtx(c), input: c.req.valid("json") }), 201))
  .openapi(updateContractRoute, async (c) => c.json(await updateContract({ ctx: userCtx(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200));
