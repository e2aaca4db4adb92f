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
import { commonErrors, json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Catalogue"] });

const IdParam = z.object({ id: z.string().min(1).max(64) });
const read = { audience: "operator", privilege: "billing.read" } as const;
const write = { audience: "operator", privilege: "billing.write" } as const;

const listProductsRoute = route.get("/api/products", { policy: read, summary: "Products of the catalogue", responses: { 200: json(z.object({ items: z.array(ProductSchema) }), "All products") } });
const createProductRoute = route.post("/api/products", { policy: write, summary: "Create a product", body: ProductInput, responses: { 201: json(ProductSchema, "Created") } });
const updateProductRoute = route.put("/api/products/{id}", { policy: write, summary: "Edit a product", request: { params: IdParam }, body: ProductInput, responses: { 200: json(ProductSchema, "Updated"), 409: commonErrors[400] } });

const listPlansRoute = route.get("/api/plans", { policy: read, summary: "Plans with their products", responses: { 200: json(z.object({ items: z.array(PlanSchema) }), "All plans") } });
const createPlanRoute = route.post("/api/plans", { policy: write, summary: "Create a plan", body: PlanInput, responses: { 201: json(PlanSchema, "Created") } });
const updatePlanRoute = route.put("/api/plans/{id}", { policy: write, summary: "Edit a plan and its products", request: { params: IdParam }, body: PlanInput, responses: { 200: json(PlanSchema, "Updated"), 409: commonErrors[400] } });

const listContractsRoute = route.get("/api/contracts", { policy: { audience: "tenant", privilege: "billing.read" }, summary: "Contracts visible to the caller", request: { query: ListContractsInput }, responses: { 200: json(pageSchema(ContractSchema), "A page of contracts") } });
const getContractRoute = route.get("/api/contracts/{id}", { policy: { audience: "tenant", privilege: "billing.read" }, summary: "One contract", request: { params: IdParam }, responses: { 200: json(ContractSchema, "The contract") } });
const createContractRoute = route.post("/api/contracts", { policy: write, summary: "Assign a plan to a customer or reseller", body: ContractInput, responses: { 201: json(ContractSchema, "Created") } });
const updateContractRoute = route.put("/api/contracts/{id}", { policy: write, summary: "Edit a contract", request: { params: IdParam }, body: ContractInput, responses: { 200: json(ContractSchema, "Updated"), 409: commonErrors[400] } });

const orgOptionsRoute = route.get("/api/billing/organization-options", {
  policy: { audience: "tenant", privilege: "billing.read" },
  summary: "Organizations to choose from in billing forms and filters (id, name, kind, country; first 100 matching q and kind, plus `include`)",
  request: { query: OrganizationOptionsInput },
  responses: { 200: json(z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(["operator", "reseller", "customer"]), country: z.string() })) }), "Organizations") },
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
