/** Email settings (privilege email.settings): templates, SMTP, delivery rules, images and the Email Log. */
import { action, json, query, type SearchParams } from "@solidjs/router";
import { EMAIL_STATUSES, type SaveDeliveryInput, type SaveSmtpInput, type SaveTemplateInput, type SmtpTestInput, type TemplateTestInput, type UploadAssetInput } from "../../worker/contract/email-dto";
import { client, enc, unwrap } from "./client";
import { enumParam, pageParam, stringParam } from "./params";

const email = client.api.email;
const template = email.templates[":event"];

export const getTemplates = query(async () => (await unwrap(email.templates.$get())).items, "email.templates");
export const getTemplate = query((event: string) => unwrap(template.$get({ param: { event: enc(event) } })), "email.template");
export const getTemplateVersion = (event: string, version: number) => unwrap(template.versions[":version"].$get({ param: { event: enc(event), version: String(version) } }));

export const saveTemplate = action(async (event: string, input: SaveTemplateInput) => {
  const saved = await unwrap(template.$put({ param: { event: enc(event) }, json: input }));
  return json(saved, { revalidate: ["email.templates", "email.template"] });
}, "saveTemplate");
export const restoreTemplate = action(async (event: string, version: number) => {
  const t = await unwrap(template.versions[":version"].restore.$post({ param: { event: enc(event), version: String(version) } }));
  return json(t, { revalidate: ["email.templates", "email.template"] });
}, "restoreTemplate");
export const resetTemplate = action(async (event: string) => {
  const t = await unwrap(template.reset.$post({ param: { event: enc(event) } }));
  return json(t, { revalidate: ["email.templates", "email.template"] });
}, "resetTemplate");
/** A test send changes nothing the pages show: no query is refetched. */
export const sendTemplateTest = action(async (event: string, input: TemplateTestInput) => json(await unwrap(template.test.$post({ param: { event: enc(event) }, json: input })), { revalidate: [] }), "sendTemplateTest");

export const getAssets = query(async () => (await unwrap(email.assets.$get())).items, "email.assets");
/** `contentType` is the file's own type: the server refuses the ones it does not take, with the message the editor shows. */
export const uploadAsset = action(async (input: { name: string; contentType: string; data: string }) => {
  const asset = await unwrap(email.assets.$post({ json: input as UploadAssetInput }));
  return json(asset, { revalidate: "email.assets" });
}, "uploadAsset");

export const getSmtp = query(() => unwrap(email.smtp.$get()), "email.smtp");
export const saveSmtp = action(async (input: SaveSmtpInput) => {
  const s = await unwrap(email.smtp.$put({ json: input }));
  return json(s, { revalidate: "email.smtp" });
}, "saveSmtp");
export const sendSmtpTest = action(async (input: SmtpTestInput) => json(await unwrap(email.smtp.test.$post({ json: input })), { revalidate: [] }), "sendSmtpTest");

export const getDelivery = query(async () => (await unwrap(email.delivery.$get())).items, "email.delivery");
export const saveDelivery = action(async (input: SaveDeliveryInput) => {
  const r = await unwrap(email.delivery.$put({ json: input }));
  return json(r.items, { revalidate: "email.delivery" });
}, "saveDelivery");

export const EMAIL_LOG_PAGE_SIZE = 25;
export interface EmailLogParams {
  page: number;
  pageSize: number;
  q?: string;
  status?: (typeof EMAIL_STATUSES)[number];
  event?: string;
}
export function emailLogParams(search: SearchParams): EmailLogParams {
  return {
    page: pageParam(search.page),
    pageSize: EMAIL_LOG_PAGE_SIZE,
    q: stringParam(search.q),
    status: enumParam(search.status, EMAIL_STATUSES),
    event: stringParam(search.event),
  };
}
export const getEmailLog = query((p: EmailLogParams) => unwrap(email.log.$get({ query: p })), "email.log");
export const getEmailLogEntry = query((id: string) => unwrap(email.log[":id"].$get({ param: { id: enc(id) } })), "email.logEntry");
export const resendEmail = action(async (id: string) => {
  const r = await unwrap(email.log[":id"].resend.$post({ param: { id: enc(id) } }));
  return json(r, { revalidate: ["email.log", "email.logEntry"] });
}, "resendEmail");
