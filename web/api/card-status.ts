/** Credit Card Status: the list (filters in the URL), its CSV export, the card health view and Unblock. */
import { action, json, query, type SearchParams } from "@solidjs/router";
import { CARD_STATES, PROFILE_STATES, type UnblockCardInput } from "../../worker/contract/card-status";
import { client, enc, href, unwrap } from "./client";
import { enumParam, pageParam, stringParam } from "./params";

export const CARD_STATUS_PAGE_SIZE = 25;

export interface CardStatusParams {
  status?: (typeof CARD_STATES)[number];
  profile?: (typeof PROFILE_STATES)[number];
  orgId?: string;
  search?: string;
  page: number;
  pageSize: number;
}

export function cardStatusParams(search: SearchParams): CardStatusParams {
  return {
    status: enumParam(search.status, CARD_STATES),
    profile: enumParam(search.profile, PROFILE_STATES),
    orgId: stringParam(search.orgId),
    search: stringParam(search.search),
    page: pageParam(search.page),
    pageSize: CARD_STATUS_PAGE_SIZE,
  };
}

const api = client.api.billing["credit-card-status"];

export const getCardStatus = query((p: CardStatusParams) => unwrap(api.$get({ query: p })), "cardStatus.list");
export const getCardHealth = query(() => unwrap(api.health.$get()), "cardStatus.health");

/** Download link (a plain GET: the browser saves the file with the session cookie). */
export const cardStatusCsvUrl = (p: Omit<CardStatusParams, "page" | "pageSize">) => href(api["export.csv"].$url({ query: p }));

/** Unblock, with a reason (audited by the API); the list and the health view reload. */
export const unblockCard = action(async (cardId: string, input: UnblockCardInput) => {
  const row = await unwrap(client.api.billing.cards[":id"].unblock.$post({ param: { id: enc(cardId) }, json: input }));
  return json(row, { revalidate: ["cardStatus.list", "cardStatus.health"] });
}, "unblockCard");
