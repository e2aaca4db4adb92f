/**
 * Catalogue, contracts, Resource Subscriptions and usage: the shapes the API returns and the inputs it accepts.
 * Runtime-neutral (the portal validates its forms with the same schemas). Prices and quantities travel as
 * exact decimal strings ("0.012500" is never a float anywhere).
 */
import { z } from "zod";
import { NamedRefSchema, OrgRefSchema } from "./dto";
import { exceedsUnits, MAX_AMOUNT, MAX_DECIMAL_TEXT_LENGTH, MAX_QUANTITY, parseDecimal, tooLargeMessage } from "./money";

export const MAX_PRICE_DECIMALS = 6;
export const MAX_QUANTITY_DECIMALS = 6;

/**
 * A non-negative exact decimal with at most `maxScale` decimals and at most `max` whole units (the storable
 * range of money.ts), kept as the text the user typed (trimmed).
 */
export const decimalText = (label: string, maxScale: number, opts: { positive?: boolean; max: number }) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(MAX_DECIMAL_TEXT_LENGTH, `${label} is too long.`)
    .superRefine((v, ctx) => {
      const d = parseDecimal(v, maxScale);
      if (!d) {
        const tooPrecise = parseDecimal(v, 30);
        ctx.addIssue({ code: "custom", message: tooPrecise ? `${label} has at most ${maxScale} decimals.` : `${label} must be a number like 12.50.` });
        return;
      }
      if (d.value < 0n) ctx.addIssue({ code: "custom", message: `${label} cannot be negative.` });
      else if (opts.positive && d.value === 0n) ctx.addIssue({ code: "custom", message: `${label} must be greater than zero.` });
      else if (exceedsUnits(d, opts.max)) ctx.addIssue({ code: "custom", message: tooLargeMessage(label) });
    });

export const IsoDate = z
  .string({ error: "Date is required." })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use the format YYYY-MM-DD.")
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, "This is not a calendar date.");

const name = (label: string) => z.string({ error: `${label} is required.` }).trim().min(1, `${label} is required.`).max(120, `${label} is too long (120 characters at most).`);
const description = z.string().trim().max(1000, "Description is too long (1000 characters at most).").nullish().transform((v) => (v ? v : null));

export const PRODUCT_MODELS = ["fixed", "payg"] as const;
export const CATALOGUE_STATUSES = ["active", "retired"] as const;
export const INTERVALS = ["month", "quarter", "year"] as const;
export const SUBSCRIPTION_STATUSES = ["trial", "live", "suspended", "cancelled", "terminated"] as const;
export const CONTRACT_STATUSES = ["active", "expired", "cancelled"] as const;
export const RESOURCE_TYPES = ["virtual_machine", "volume", "ip_address", "object_storage", "kubernetes_cluster"] as const;
export const RESOURCE_STATUSES = ["provisioning", "active", "suspended", "terminated"] as const;

// ---- products --------------------------------------------------------------------------------------------
export const ProductInput = z.object({
  name: name("Name"),
  description,
  model: z.enum(PRODUCT_MODELS, { error: "Choose Fixed or Pay-as-you-go." }),
  unit: z.string({ error: "Unit is required." }).trim().min(1, "Unit is required.").max(40, "Unit is too long (40 characters at most)."),
  unitPrice: decimalText("Unit price", MAX_PRICE_DECIMALS, { max: MAX_AMOUNT }),
  taxable: z.boolean({ error: "Say whether the product is taxable." }),
  status: z.enum(CATALOGUE_STATUSES, { error: "Choose Active or Retired." }),
});
export type ProductInput = z.input<typeof ProductInput>;

/** What products and plans alike are listed by. */
const catalogueEntry = { id: z.string(), name: z.string(), description: z.string().nullable() };

export const ProductSchema = z.object({
  ...catalogueEntry,
  model: z.enum(PRODUCT_MODELS),
  unit: z.string(),
  unitPrice: z.string(),
  taxable: z.boolean(),
  status: z.enum(CATALOGUE_STATUSES),
  planCount: z.number().int(),
  updatedAt: z.string(),
});
export type Product = z.infer<typeof ProductSchema>;

// ---- plans -----------------------------------------------------------------------------------------------
export const PlanInput = z.object({
  name: name("Name"),
  description,
  status: z.enum(CATALOGUE_STATUSES, { error: "Choose Active or Retired." }),
  productIds: z.array(z.string().min(1).max(64)).min(1, "Choose at least one product.").max(100, "A plan has at most 100 products."),
});
export type PlanInput = z.input<typeof PlanInput>;

export const PlanSchema = z.object({
  ...catalogueEntry,
  status: z.enum(CATALOGUE_STATUSES),
  products: z.array(z.object({ id: z.string(), name: z.string(), model: z.enum(PRODUCT_MODELS), unit: z.string(), unitPrice: z.string() })),
  contractCount: z.number().int(),
  updatedAt: z.string(),
});
export type Plan = z.infer<typeof PlanSchema>;

// ---- contracts -------------------------------------------------------------------------------------------
export const ContractInput = z
  .object({
    orgId: z.string({ error: "Choose an organization." }).min(1, "Choose an organization.").max(64),
    planId: z.string({ error: "Choose a plan." }).min(1, "Choose a plan.").max(64),
    startDate: IsoDate,
    expiryDate: IsoDate.nullish().transform((v) => v ?? null),
    status: z.enum(CONTRACT_STATUSES, { error: "Choose a status." }),
  })
  .superRefine((v, ctx) => {
    if (v.expiryDate && v.expiryDate <= v.startDate) ctx.addIssue({ code: "custom", path: ["expiryDate"], message: "Expiry must be after the start date." });
  });
export type ContractInput = z.input<typeof ContractInput>;

export const ContractSchema = z.object({
  id: z.string(),
  org: OrgRefSchema,
  plan: NamedRefSchema,
  startDate: z.string(),
  expiryDate: z.string().nullable(),
  status: z.enum(CONTRACT_STATUSES),
  subscriptionCount: z.number().int(),
  updatedAt: z.string(),
});
export type Contract = z.infer<typeof ContractSchema>;

// ---- Resource Subscriptions ------------------------------------------------------------------------------
export const ResourceInput = z.object({
  id: z.string().max(64).optional(),
  type: z.enum(RESOURCE_TYPES, { error: "Choose a resource type." }),
  name: name("Resource name"),
  region: z.string({ error: "Region is required." }).trim().min(1, "Region is required.").max(40, "Region is too long."),
  status: z.enum(RESOURCE_STATUSES, { error: "Choose a status." }),
});

export const SubscriptionInput = z
  .object({
    contractId: z.string({ error: "Choose a contract." }).min(1, "Choose a contract.").max(64),
    name: name("Name"),
    model: z.enum(PRODUCT_MODELS, { error: "Choose Fixed or Pay-as-you-go." }),
    billingInterval: z.enum(INTERVALS, { error: "Choose a billing cycle." }),
    anchorDate: IsoDate,
    status: z.enum(SUBSCRIPTION_STATUSES, { error: "Choose a status." }),
    trialEndsAt: IsoDate.nullish().transform((v) => v ?? null),
    resources: z.array(ResourceInput).max(200, "At most 200 resources per subscription.").default([]),
  })
  .superRefine((v, ctx) => {
    if (v.status === "trial" && !v.trialEndsAt) ctx.addIssue({ code: "custom", path: ["trialEndsAt"], message: "A trial needs the date it ends." });
    if (v.trialEndsAt && v.trialEndsAt <= v.anchorDate) ctx.addIssue({ code: "custom", path: ["trialEndsAt"], message: "The trial must end after the anchor date." });
  });
export type SubscriptionInput = z.input<typeof SubscriptionInput>;

export const ResourceSchema = z.object({
  id: z.string(),
  type: z.enum(RESOURCE_TYPES),
  name: z.string(),
  region: z.string(),
  status: z.enum(RESOURCE_STATUSES),
});
export type Resource = z.infer<typeof ResourceSchema>;

export const SubscriptionSchema = z.object({
  id: z.string(),
  org: OrgRefSchema,
  contract: z.object({ id: z.string(), planId: z.string(), planName: z.string(), startDate: z.string(), expiryDate: z.string().nullable() }),
  name: z.string(),
  model: z.enum(PRODUCT_MODELS),
  billingInterval: z.enum(INTERVALS),
  anchorDate: z.string(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  trialEndsAt: z.string().nullable(),
  /** End (exclusive) of the last invoiced period; once set, the billing cycle and anchor are locked. */
  billedThrough: z.string().nullable(),
  resources: z.array(ResourceSchema),
  updatedAt: z.string(),
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

// ---- usage -----------------------------------------------------------------------------------------------
export const UsageInput = z.object({
  subscriptionId: z.string({ error: "subscriptionId is required." }).min(1).max(64),
  resourceId: z.string().min(1).max(64).nullish().transform((v) => v ?? null),
  productId: z.string({ error: "productId is required." }).min(1).max(64),
  quantity: decimalText("Quantity", MAX_QUANTITY_DECIMALS, { positive: true, max: MAX_QUANTITY }),
  usageDate: IsoDate,
  /** The producer's key for this record: sending the same record again stores it once. */
  idempotencyKey: z.string({ error: "idempotencyKey is required." }).trim().min(8, "idempotencyKey must be at least 8 characters.").max(200),
});
export type UsageInput = z.input<typeof UsageInput>;

export const UsageRecordSchema = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  resource: NamedRefSchema.nullable(),
  product: z.object({ id: z.string(), name: z.string(), unit: z.string(), unitPrice: z.string() }),
  quantity: z.string(),
  usageDate: z.string(),
  idempotencyKey: z.string(),
  createdAt: z.string(),
});
export type UsageRecord = z.infer<typeof UsageRecordSchema>;

export const UsageSummarySchema = z.object({
  productId: z.string(),
  productName: z.string(),
  unit: z.string(),
  month: z.string(),
  quantity: z.string(),
});
