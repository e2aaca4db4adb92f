import { OpenAPIHono } from "@hono/zod-openapi";
import { OrganizationDetailSchema, OrganizationSummarySchema, pageSchema } from "../contract/dto";
import type { AppEnv } from "../env";
import { getOrganization } from "../domain/organizations/get";
import { listOrganizations } from "../domain/organizations/list";
import { ListOrganizationsInput, OrgIdParam, SetPrimaryContactInput } from "../contract/inputs/organizations";
import { setPrimaryContact } from "../domain/organizations/set-primary-contact";
import { getBillingDetails, updateBillingDetails } from "../domain/organizations/billing-details";
import { BillingDetailsInput, BillingDetailsSchema } from "../contract/invoice-details";
import { commonErrors, json, routeGroup } from "./define";
import { userCtx } from "../domain/context";

const route = routeGroup({ tags: ["Organizations"] });

const list = route.get("/api/organizations", {
  policy: { audience: "tenant", privilege: "organizations.read" },
  summary: "Customer and reseller organizations visible to the caller",
  request: { query: ListOrganizationsInput },
  responses: { 200: json(pageSchema(OrganizationSummarySchema), "A page of organizations") },
});

const get = route.get("/api/organizations/{id}", {
  policy: { audience: "tenant", privilege: "organizations.read" },
  summary: "One organization with its users, customers and Resource Subscriptions",
  request: { params: OrgIdParam },
  responses: { 200: json(OrganizationDetailSchema, "The organization") },
});

const primaryContact = route.put("/api/organizations/{id}/primary-contact", {
  policy: { audience: "operator", privilege: "organizations.write" },
  summary: "Change the organization's primary contact",
  request: { params: OrgIdParam }, body: SetPrimaryContactInput,
  responses: { 200: json(OrganizationDetailSchema, "The updated organization"), 409: commonErrors[400] },
});

const billingDetails = route.get("/api/organizations/{id}/billing-details", {
  policy: { audience: "tenant", privilege: "organizations.read" },
  summary: "Billing Details: the address, VAT / tax number and tax exemption printed on the organization's invoices",
  request: { params: OrgIdParam },
  responses: { 200: json(BillingDetailsSchema, "The billing details") },
});

const putBillingDetails = route.put("/api/organizations/{id}/billing-details", {
  policy: { audience: "operator", privilege: "organizations.write" },
  summary: "Save Billing Details (VAT number format checked for the country; applies to invoices issued from now on)",
  request: { params: OrgIdParam }, body: BillingDetailsInput,
  responses: { 200: json(BillingDetailsSchema, "The saved billing details"), 409: commonErrors[400] },
});

export const organizationRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json(await listOrganizations({ ctx: userCtx(c), input: c.req.valid("query") }), 200))
  .openapi(get, async (c) => c.json(await getOrganization({ ctx: userCtx(c), id: c.req.valid("param").id }), 200))
  .openapi(primaryContact, async (c) =>
    c.json(await setPrimaryContact({ ctx: userCtx(c), orgId: c.req.valid("param").id, input: c.req.valid("json") }), 200),
  )
  .openapi(billingDetails, async (c) => c.json(await getBillingDetails({ ctx: userCtx(c), orgId: c.req.valid("param").id }), 200))
  .openapi(putBillingDetails, async (c) =>
    c.json(await updateBillingDetails({ ctx: userCtx(c), orgId: c.req.valid("param").id, input: c.req.valid("json") }), 200),
  );
