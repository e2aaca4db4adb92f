/** Organizations: list, detail and the primary-contact change. */
import { action, json, query, type SearchParams } from "@solidjs/router";
import { client, enc, unwrap } from "./client";
import { enumParam, pageParam, stringParam } from "./params";

export const ORG_PAGE_SIZE = 25;

export type OrgListParams = ReturnType<typeof orgListParams>;

/** The list's filters live in the URL, so deep links, reloads and Back keep them. */
export function orgListParams(search: SearchParams) {
  return {
    q: stringParam(search.q),
    kind: enumParam(search.kind, ["customer", "reseller"]),
    page: pageParam(search.page),
    pageSize: ORG_PAGE_SIZE,
  };
}

export const getOrganizations = query(
  (p: OrgListParams) => unwrap(client.api.organizations.$get({ query: p })),
  "orgs.list",
);

export const getOrganization = query(
  (id: string) => unwrap(client.api.organizations[":id"].$get({ param: { id: enc(id) } })),
  "orgs.detail",
);

/** Needs organizations.write. Refreshes the organization queries (detail and list show the primary contact). */
export const changePrimaryContact = action(async (orgId: string, userId: string) => {
  const org = await unwrap(client.api.organizations[":id"]["primary-contact"].$put({ param: { id: enc(orgId) }, json: { userId } }));
  return json(org, { revalidate: "orgs." });
}, "changePrimaryContact");
