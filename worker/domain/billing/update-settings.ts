import { UpdateBillingSettingsInput, type BillingSettings } from "../../contract/billing";
import { atomically, rawStatement } from "../../db/atomic";
import { DomainError } from "../../errors";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";
import { getBillingSettings, settingsRow } from "./settings";

/**
 * Saves "Currency Settings". Guard: once an invoice is issued, currency and precision are locked
 * (CURRENCY_LOCKED). The lock is re-checked inside the write itself (`NOT EXISTS` an issued invoice), so an
 * invoice issued between the read and the write still wins. Audit row in the same batch, only if it changed.
 */
export async function updateBillingSettings(args: { ctx: ActorContext; input: UpdateBillingSettingsInput }): Promise<BillingSettings> {
  const input = UpdateBillingSettingsInput.parse(args.input);
  const { ctx } = args;
  const before = await settingsRow(ctx.db);
  const unchanged = input.currency === before.currency && input.precision === before.precision && input.paymentTermsDays === before.paymentTermsDays && input.invoicePrefix === before.invoicePrefix;
  if (unchanged) return getBillingSettings({ ctx });
  const moneyChange = input.currency !== before.currency || input.precision !== before.precision;
  const now = ctx.clock.now();
  const lockClause = moneyChange ? "AND NOT EXISTS (SELECT 1 FROM invoices WHERE status <> 'draft')" : "";
  const [upsert] = await atomically(ctx.db, [
    rawStatement(
      `INSERT INTO billing_settings (id, currency, precision, payment_terms_days, invoice_prefix, updated_at)
       SELECT 1, ?, ?, ?, ?, ? WHERE 1 ${lockClause}
       ON CONFLICT (id) DO UPDATE SET currency = excluded.currency, precision = excluded.precision,
         payment_terms_days = excluded.payment_terms_days, invoice_prefix = excluded.invoice_prefix, updated_at = excluded.updated_at`,
      [input.currency, input.precision, input.paymentTermsDays, input.invoicePrefix, now],
    ),
    auditIfChanged(ctx, {
      action: "billing.settings.updated",
      orgId: null,
      targetType: "billing_settings",
      targetId: "1",
      before: { currency: before.currency, precision: before.precision, paymentTermsDays: before.paymentTermsDays, invoicePrefix: before.invoicePrefix },
      after: { currency: input.currency, precision: input.precision, paymentTermsDays: input.paymentTermsDays, invoicePrefix: input.invoicePrefix },
    }),
  ]);
  if (moneyChange && !upsert?.meta.changes) {
    throw new DomainError("CURRENCY_LOCKED", "The currency and the billing precision cannot change once an invoice has been issued.", {
      ...(input.currency !== before.currency ? { currency: "Locked: invoices have been issued in this currency." } : {}),
      ...(input.precision !== before.precision ? { precision: "Locked: invoices have been issued at this precision." } : {}),
    });
  }
  return getBillingSettings({ ctx });
}
