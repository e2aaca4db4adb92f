/** Email settings (privilege email.settings): templates, SMTP, delivery rules, images and the Email Log. */
import { action, json, query, type SearchParams } from "@solidjs/router";
import type { Page } from "../../worker/contract/dto";
import type {
  DeliveryRule,
  EmailAsset,
  EmailLogDetail,
  EmailLogItem,
  SaveDeliveryInput,
  SaveSmtpInput,
  SaveTemplateInput,
  SendResult,
  SmtpSettingsDto,
  SmtpTestInput,
  TemplateDetail,
  TemplateSummary,
  TemplateTestInput,
  TemplateVersion,
} from "../../worker/contract/email-dto";
import { api } from "./client";
import { pageParam, stringParam } from "./params";

const enc = encodeURIComponent;

export const getTemplates = query(async () => (await api.get<{ items: TemplateSummary[] }>("/email/templates")).items, "email.templates");
export const getTemplate = query((event: string) => api.get<TemplateDetail>(`/email/templates/${enc(event)}`), "email.template");
export const getTemplateVersion = (event: string, version: number) => api.get<TemplateVersion>(`/email/templates/${enc(event)}/versions/${version}`);

export const saveTemplate = action(async (event: string, input: SaveTemplateInput) => {
  const saved = await api.put<TemplateDetail & { notice: string | null }>(`/email/templates/${enc(event)}`, input);
  return json(saved, { revalidate: ["email.templates", "email.template"] });
}, "saveTemplate");
export const restoreTemplate = action(async (event: string, version: number) => {
  const t = await api.post<TemplateDetail>(`/email/templates/${enc(event)}/versions/${version}/restore`);
  return json(t, { revalidate: ["email.templates", "email.template"] });
}, "restoreTemplate");
export const resetTemplate = action(async (event: string) => {
  const t = await api.post<TemplateDetail>(`/email/templates/${enc(event)}/reset`);
  return json(t, { revalidate: ["email.templates", "email.template"] });
}, "resetTemplate");
export const sendTemplateTest = (event: string, input: TemplateTestInput) => api.post<SendResult>(`/email/templates/${enc(event)}/test`, input);

export const getAssets = query(async () => (await api.get<{ items: EmailAsset[] }>("/email/assets")).items, "email.assets");
export const uploadAsset = action(async (input: { name: string; contentType: string; data: string }) => {
  const asset = await api.post<EmailAsset>("/email/assets", input);
  return json(asset, { revalidate: "email.assets" });
}, "uploadAsset");

export const getSmtp = query(() => api.get<SmtpSettingsDto>("/email/smtp"), "email.smtp");
export const saveSmtp = action(async (input: SaveSmtpInput) => {
  const s = await api.put<SmtpSettingsDto>("/email/smtp", input);
  return json(s, { revalidate: "email.smtp" });
}, "saveSmtp");
export const sendSmtpTest = (input: SmtpTestInput) => api.post<SendResult>("/email/smtp/test", input);

export const getDelivery = query(async () => (await api.get<{ items: DeliveryRule[] }>("/email/delivery")).items, "email.delivery");
export const saveDelivery = action(async (input: SaveDeliveryInput) => {
  const r = await api.put<{ items: DeliveryRule[] }>("/email/delivery", input);
  return json(r.items, { revalidate: "email.delivery" });
}, "saveDelivery");

export const EMAIL_LOG_PAGE_SIZE = 25;
export interface EmailLogParams {
  page: number;
  pageSize: number;
  q?: string;
  status?: string;
  event?: string;
}
export function emailLogParams(search: SearchParams): EmailLogParams {
  const status = stringParam(search.status);
  return {
    page: pageParam(search.page),
    pageSize: EMAIL_LOG_PAGE_SIZE,
    q: stringParam(search.q),
    status: status && ["queued", "sent", "failed"].includes(status) ? status : undefined,
    event: stringParam(search.event),
  };
}
export const getEmailLog = query((p: EmailLogParams) => api.get<Page<EmailLogItem>>("/email/log", { ...p }), "email.log");
export const getEmailLogEntry = query((id: string) => api.get<EmailLogDetail>(`/email/log/${enc(id)}`), "email.logEntry");
export const resendEmail = action(async (id: string) => {
  const r = await api.post<EmailLogDetail>(`/email/log/${enc(id)}/resend`);
  return json(r, { revalidate: ["email.log", "email.logEntry"] });
}, "resendEmail");
