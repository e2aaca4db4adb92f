/**
 * Email settings API shapes (templates, SMTP, delivery rules, assets, log). Runtime-neutral: the routes
 * validate with these schemas and the portal's forms use the same types.
 */
import { z } from "zod";
import { NamedRefSchema } from "./dto";
import { EMAIL_EVENT_KEYS } from "./email-events";
import { HEX_COLOUR } from "./email-render";
import { PageQuerySchema } from "./schemas";

export const EventKeySchema = z.string().refine((v) => EMAIL_EVENT_KEYS.includes(v), "Unknown email type.");

const colour = z.string().trim().regex(HEX_COLOUR, "Use a colour like #1d4ed8.");

export const BrandingSchema = z.object({
  background: colour.optional(),
  headingColor: colour.optional(),
  linkColor: colour.optional(),
  logoAssetId: z.string().max(64).nullable().optional(),
});

export const TagDefSchema = z.object({ name: z.string(), description: z.string(), example: z.string() });

export const TemplateSummarySchema = z.object({
  event: z.string(),
  label: z.string(),
  trigger: z.string(),
  recipient: z.string(),
  customized: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string().nullable(),
});
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;

export const TemplateVersionSummarySchema = z.object({
  version: z.number().int(),
  note: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});

/** What a template says; a saved version keeps the same four. */
const templateContent = { subject: z.string(), html: z.string(), text: z.string(), branding: BrandingSchema };

export const TemplateDetailSchema = z.object({
  event: z.string(),
  label: z.string(),
  trigger: z.string(),
  ...templateContent,
  customized: z.boolean(),
  version: z.number().int(),
  tags: z.array(TagDefSchema),
  versions: z.array(TemplateVersionSummarySchema),
  /** The portal origin, for preview of asset URLs. */
  origin: z.string(),
});
export type TemplateDetail = z.infer<typeof TemplateDetailSchema>;

export const TemplateVersionSchema = TemplateVersionSummarySchema.extend(templateContent);
export type TemplateVersion = z.infer<typeof TemplateVersionSchema>;

export const SaveTemplateInput = z.object({
  subject: z.string().trim().min(1, "Subject is required.").max(300, "Subject is too long (300 characters at most)."),
  html: z.string().min(1, "HTML body is required.").max(200_000, "HTML body is too long (200,000 characters at most)."),
  text: z.string().max(100_000, "Plain text is too long (100,000 characters at most)."),
  branding: BrandingSchema.default({}),
});
export type SaveTemplateInput = z.infer<typeof SaveTemplateInput>;

const address = z.string().trim().min(1, "Email is required.").max(254).email("Enter a valid email address.").transform((v) => v.toLowerCase());

export const TemplateTestInput = SaveTemplateInput.extend({
  to: address,
  /** Fill the tags with this organization's data instead of the examples. */
  orgId: z.string().max(64).nullable().optional(),
});
export type TemplateTestInput = z.infer<typeof TemplateTestInput>;

export const SmtpSettingsSchema = z.object({
  /** `saved`: the admin's configuration; `development`: SMTP_HOST fallback (local mail catcher); `none`. */
  source: z.enum(["saved", "development", "none"]),
  host: z.string(),
  port: z.number().int(),
  secure: z.boolean(),
  useAuth: z.boolean(),
  login: z.string(),
  passwordSet: z.boolean(),
  fromName: z.string(),
  fromAddress: z.string(),
  updatedAt: z.string().nullable(),
  production: z.boolean(),
  allowLoopback: z.boolean(),
});
export type SmtpSettingsDto = z.infer<typeof SmtpSettingsSchema>;

export const SaveSmtpInput = z.object({
  host: z.string().trim().min(1, "SMTP Host is required.").max(253, "SMTP Host is too long."),
  port: z.coerce.number({ error: "Port must be a number." }).int("Port must be a whole number.").min(1, "Port must be between 1 and 65535.").max(65535, "Port must be between 1 and 65535."),
  secure: z.boolean(),
  useAuth: z.boolean(),
  login: z.string().trim().max(254, "Login is too long.").default(""),
  /** Omitted or empty: keep the stored password. */
  password: z.string().max(1024, "Password is too long.").optional(),
  fromName: z.string().trim().min(1, "Sender name is required.").max(100, "Sender name is too long."),
  fromAddress: address,
});
export type SaveSmtpInput = z.infer<typeof SaveSmtpInput>;

export const SmtpTestInput = z.object({
  to: address,
  from: address.optional(),
  message: z.string().trim().min(1, "Message is required.").max(5000, "Message is too long."),
});
export type SmtpTestInput = z.infer<typeof SmtpTestInput>;

export const SendResultSchema = z.object({
  ok: z.boolean(),
  /** The server's final reply on success, or a clear reason on failure. */
  detail: z.string(),
  reason: z.enum(["sent", "connection_refused", "tls_untrusted", "auth_failed", "timeout", "rejected", "not_configured", "other"]),
  outboxId: z.string().nullable(),
});
export type SendResult = z.infer<typeof SendResultSchema>;

export const DeliveryRuleSchema = z.object({
  event: z.string(),
  label: z.string(),
  trigger: z.string(),
  alwaysToRecipient: z.boolean(),
  noCopies: z.boolean(),
  sendToCustomers: z.boolean(),
  bccAdmin: z.boolean(),
  bccTo: z.array(z.string()),
});
export type DeliveryRule = z.infer<typeof DeliveryRuleSchema>;

export const SaveDeliveryInput = z.object({
  rules: z
    .array(
      z.object({
        event: EventKeySchema,
        sendToCustomers: z.boolean(),
        bccAdmin: z.boolean(),
        bccTo: z.array(address).max(10, "At most 10 addresses."),
      }),
    )
    .max(100),
});
export type SaveDeliveryInput = z.infer<typeof SaveDeliveryInput>;

export const ASSET_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export const MAX_ASSET_BYTES = 512 * 1024;

export const UploadAssetInput = z.object({
  name: z.string().trim().min(1, "File name is required.").max(200),
  contentType: z.enum(ASSET_TYPES, { error: "Only PNG, JPEG, GIF and WebP images can be uploaded." }),
  /** Base64 of the file. */
  data: z.string().min(1, "The file is empty.").max(Math.ceil((MAX_ASSET_BYTES * 4) / 3) + 4, "Images can be 512 KB at most."),
});
export type UploadAssetInput = z.infer<typeof UploadAssetInput>;

export const AssetSchema = z.object({ id: z.string(), name: z.string(), contentType: z.string(), size: z.number().int(), url: z.string(), createdAt: z.string() });
export type EmailAsset = z.infer<typeof AssetSchema>;

export const EMAIL_STATUSES = ["queued", "sent", "failed"] as const;

export const ListEmailLogInput = PageQuerySchema.extend({
  status: z.enum(EMAIL_STATUSES).optional(),
  event: z.string().max(64).optional(),
  q: z.string().trim().max(100).optional(),
});
export type ListEmailLogInput = z.infer<typeof ListEmailLogInput>;

export const EmailLogItemSchema = z.object({
  id: z.string(),
  event: z.string(),
  label: z.string(),
  copyKind: z.enum(["recipient", "bcc_admin", "bcc_extra"]),
  to: z.string(),
  toName: z.string().nullable(),
  subject: z.string().nullable(),
  status: z.enum(EMAIL_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  org: NamedRefSchema.nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type EmailLogItem = z.infer<typeof EmailLogItemSchema>;

export const EmailLogDetailSchema = EmailLogItemSchema.extend({
  html: z.string().nullable(),
  text: z.string().nullable(),
  messageId: z.string().nullable(),
  resentFrom: z.string().nullable(),
});
export type EmailLogDetail = z.infer<typeof EmailLogDetailSchema>;
