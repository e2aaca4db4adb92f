/**
 * The email event catalogue: every email Cumulus sends, the event that triggers it, who receives it and the
 * dynamic tags it provides (`{{dotted.name}}`). Runtime-neutral: the worker renders with it, the portal lists
 * it ("Email Templates", "Delivery Configuration", the "Click Here" tag drawer); docs/decisions/007-email-templates-delivery.md.
 */
export interface TagDef {
  name: string;
  description: string;
  example: string;
}

export interface EmailEventDef {
  key: string;
  label: string;
  trigger: string;
  recipient: "user" | "primary_contact" | "address";
  /** Security and transactional mail that must reach the user whatever the delivery rules say. */
  alwaysToRecipient?: boolean;
  /**
   * No BCC copies: the message carries a single-use link (activation, email confirmation) that must reach only
   * its recipient, or it is a test sent to an address typed by the administrator.
   */
  noCopies?: boolean;
  tags: TagDef[];
}

export const COMMON_TAGS: TagDef[] = [
  { name: "platform.name", description: "Product name", example: "Cumulus" },
  { name: "platform.logo_url", description: "URL of the logo image", example: "https://billing.example.com/api/email-assets/logo" },
  { name: "portal.url", description: "Portal address", example: "https://billing.example.com" },
  { name: "support.email", description: "Support / sender address", example: "support@cumulus.example" },
  { name: "organization.name", description: "Organization the email concerns", example: "Brightwater Logistics Ltd" },
  { name: "organization.type", description: "Customer or Reseller", example: "Customer" },
  { name: "reseller.name", description: "Reseller of the organization, if any", example: "Northwind Cloud Partners" },
  { name: "user.first_name", description: "Recipient's first name", example: "Tom" },
  { name: "user.last_name", description: "Recipient's last name", example: "Hughes" },
  { name: "user.email", description: "Recipient's email address", example: "tom.hughes@brightwater-logistics.example" },
  { name: "current.date", description: "Date the email is sent", example: "22 Nov 2026" },
];

/** Filled from the template's branding (the editor's colour pickers), usable in any template. */
export const BRANDING_TAGS: TagDef[] = [
  { name: "brand.background", description: "Background colour chosen in the editor", example: "#f4f6f8" },
  { name: "brand.heading_color", description: "Heading colour chosen in the editor", example: "#1f2933" },
  { name: "brand.link_color", description: "Link colour chosen in the editor", example: "#1d4ed8" },
];

const t = (name: string, description: string, example: string): TagDef => ({ name, description, example });

const INVOICE_TAGS = [
  t("invoice.number", "Invoice number", "INV-2026-000123"),
  t("invoice.issue_date", "Issue date", "22 Nov 2026"),
  t("invoice.due_date", "Due date", "6 Dec 2026"),
  t("invoice.period_from", "Invoicing period start", "1 Nov 2026"),
  t("invoice.period_to", "Invoicing period end", "30 Nov 2026"),
  t("invoice.subtotal", "Total before tax", "€98.00"),
  t("invoice.tax", "Tax", "€22.54"),
  t("invoice.total", "Total", "€120.54"),
  t("invoice.amount_due", "Amount still due", "€120.54"),
  t("invoice.url", "Link to the invoice in the portal", "https://billing.example.com/billing/invoices/inv_01J…"),
  t("subscription.name", "Resource Subscription", "Brightwater Production"),
];

export const EMAIL_EVENTS: EmailEventDef[] = [
  { key: "account.created", label: "Account Created", trigger: "A user account is created", recipient: "user", alwaysToRecipient: true, noCopies: true,
    tags: [t("account.activation_url", "Link to set a password and sign in", "https://billing.example.com/sign-in"), t("account.created_at", "When the account was created", "22 Nov 2026 10:15 UTC")] },
  { key: "email.change_confirmation", label: "Email Change Confirmation", trigger: "A user asks to change their email address", recipient: "address", alwaysToRecipient: true, noCopies: true,
    tags: [t("email_change.confirm_url", "Single-use confirmation link", "https://billing.example.com/confirm-email?token=…"), t("email_change.new_email", "The new address", "tom@new.example"), t("email_change.expires_at", "When the link expires", "23 Nov 2026 10:15 UTC")] },
  { key: "email.change_notice", label: "Email Change Notice", trigger: "The old address is told about an email change", recipient: "address", alwaysToRecipient: true,
    tags: [t("email_change.new_email", "The new address", "tom@new.example"), t("security.changed_at", "When", "22 Nov 2026 10:15 UTC"), t("request.ip", "IP address of the request", "203.0.113.7")] },
  { key: "password.changed", label: "Password Changed", trigger: "\"Change Password\" is done", recipient: "user", alwaysToRecipient: true,
    tags: [t("security.changed_at", "When", "22 Nov 2026 10:15 UTC"), t("request.ip", "IP address of the request", "203.0.113.7")] },
  { key: "mfa.enabled", label: "MFA Enabled", trigger: "Multi-factor authentication is enabled", recipient: "user", alwaysToRecipient: true,
    tags: [t("mfa.method", "Method", "Authenticator app (TOTP)"), t("security.changed_at", "When", "22 Nov 2026 10:15 UTC"), t("request.ip", "IP address of the request", "203.0.113.7")] },
  { key: "mfa.disabled", label: "MFA Disabled", trigger: "Multi-factor authentication is disabled", recipient: "user", alwaysToRecipient: true,
    tags: [t("mfa.method", "Method", "Authenticator app (TOTP)"), t("security.changed_at", "When", "22 Nov 2026 10:15 UTC"), t("request.ip", "IP address of the request", "203.0.113.7")] },
  { key: "passkey.added", label: "Passkey Added", trigger: "A passkey is registered", recipient: "user", alwaysToRecipient: true,
    tags: [t("passkey.name", "Name given to the passkey", "Work laptop"), t("security.changed_at", "When", "22 Nov 2026 10:15 UTC")] },
  { key: "invoice.issued", label: "Invoice Issued", trigger: "An invoice is issued", recipient: "primary_contact", tags: INVOICE_TAGS },
  { key: "invoice.resent", label: "Invoice Resent", trigger: "\"Resend Invoice\"", recipient: "primary_contact",
    tags: [...INVOICE_TAGS, t("invoice.status", "Invoice status", "Unpaid")] },
  { key: "payment.succeeded", label: "Payment Received", trigger: "A payment is applied to an invoice", recipient: "primary_contact",
    tags: [t("payment.amount", "Amount paid", "€120.54"), t("payment.date", "Payment date", "22 Nov 2026"), t("payment.method", "Payment method", "Visa •••• 4242"), t("payment.reference", "Reference", "ch_3P…"), t("invoice.number", "Invoice number", "INV-2026-000123"), t("invoice.amount_due", "Amount still due", "€0.00"), t("payment.receipt_url", "Receipt (PDF) link", "https://portal.example/api/payments/pay_…/receipt.pdf")] },
  { key: "payment.failed", label: "Payment Failed", trigger: "A card payment is declined", recipient: "primary_contact",
    tags: [t("payment.amount", "Amount", "€120.54"), t("payment.failure_reason", "Why it failed", "Your card has insufficient funds."), t("card.last4", "Last 4 digits of the card", "4242"), t("payment.next_attempt_date", "Next attempt", "25 Nov 2026"), t("billing.payment_info_url", "Link to Payment Info", "https://billing.example.com/billing/payment-info"), t("invoice.number", "Invoice number", "INV-2026-000123")] },
  { key: "payment.action_required", label: "Payment Needs Your Confirmation", trigger: "An automatic card payment needs the customer to authenticate (3-D Secure)", recipient: "primary_contact",
    tags: [t("payment.amount", "Amount", "€120.54"), t("invoice.number", "Invoice number", "INV-2026-000123"), t("card.last4", "Last 4 digits of the card", "4242"), t("portal.pay_url", "Link to pay the invoice in the portal", "https://billing.example.com/billing/invoices/inv_01J…")] },
  { key: "card.blocked", label: "Card Blocked", trigger: "A card reaches the decline limit", recipient: "primary_contact",
    tags: [t("card.brand", "Card brand", "Visa"), t("card.last4", "Last 4 digits", "4242"), t("card.decline_count", "Declines counted", "3"), t("card.last_decline_reason", "Last decline reason", "Insufficient funds"), t("billing.payment_info_url", "Link to Payment Info", "https://billing.example.com/billing/payment-info")] },
  { key: "card.expiring", label: "Card Expiring", trigger: "30 days before the card on file stops working (once per card and expiry)", recipient: "primary_contact",
    tags: [t("card.brand", "Card brand", "Visa"), t("card.last4", "Last 4 digits", "4242"), t("card.expiry", "Expiry (month/year)", "12/2026"), t("card.expires_on", "The day the card stops working", "1 Jan 2027"), t("billing.payment_info_url", "Link to Payment Info", "https://billing.example.com/billing/payment-info")] },
  { key: "dunning.overdue", label: "Payment Overdue", trigger: "Grace Period entered: the oldest unpaid invoice passed its due date", recipient: "primary_contact",
    tags: [t("dunning.amount_due", "Total overdue", "€241.08"), t("dunning.oldest_due_date", "Oldest due date", "1 Nov 2026"), t("dunning.warning_date", "When warnings start", "8 Nov 2026"), t("portal.pay_url", "Link to pay", "https://billing.example.com/billing/invoices")] },
  { key: "dunning.warning", label: "Dunning Warning", trigger: "Warning Notification phase, on its schedule", recipient: "primary_contact",
    tags: [t("dunning.amount_due", "Total overdue", "€241.08"), t("dunning.oldest_due_date", "Oldest due date", "1 Nov 2026"), t("dunning.days_overdue", "Days overdue", "12"), t("dunning.suspension_date", "When the account will be suspended", "29 Nov 2026"), t("portal.pay_url", "Link to pay", "https://billing.example.com/billing/invoices")] },
  { key: "account.suspended", label: "Account Suspended", trigger: "Account Suspension phase entered", recipient: "primary_contact",
    tags: [t("dunning.amount_due", "Total overdue", "€241.08"), t("dunning.delete_notice_date", "Delete notice date", "6 Dec 2026"), t("dunning.termination_date", "Termination date", "13 Dec 2026"), t("portal.pay_url", "Link to pay", "https://billing.example.com/billing/invoices")] },
  { key: "dunning.delete_notice", label: "Delete Notice", trigger: "Delete Notification phase entered", recipient: "primary_contact",
    tags: [t("dunning.amount_due", "Total overdue", "€241.08"), t("dunning.termination_date", "Termination date", "13 Dec 2026"), t("resources.count", "Resources affected", "3"), t("resources.summary", "Resources affected, listed", "bw-prod-k8s, bw-db-01, bw-lb-ip"), t("portal.pay_url", "Link to pay", "https://billing.example.com/billing/invoices")] },
  { key: "resources.terminated", label: "Resources Terminated", trigger: "Termination executed", recipient: "primary_contact",
    tags: [t("subscription.name", "Resource Subscription", "Brightwater Production"), t("resources.count", "Resources terminated", "3"), t("resources.summary", "Resources terminated, listed", "bw-prod-k8s, bw-db-01, bw-lb-ip"), t("termination.date", "Termination date", "13 Dec 2026")] },
  { key: "account.reactivated", label: "Account Reactivated", trigger: "A payment lifts an account suspension", recipient: "primary_contact",
    tags: [t("payment.amount", "Amount paid", "€241.08"), t("account.reactivated_at", "When access was restored", "22 Nov 2026")] },
  { key: "dunning.extension_approved", label: "Extension Approved", trigger: "Billing staff approve a customer's request for more time to pay", recipient: "user",
    tags: [t("extension.days", "Days asked for", "14"), t("extension.until", "Dunning paused until", "11 Dec 2026"), t("extension.reason", "The customer's reason", "Our finance team pays on the 10th")] },
  { key: "dunning.extension_declined", label: "Extension Declined", trigger: "Billing staff decline a customer's request for more time to pay", recipient: "user",
    tags: [t("extension.days", "Days asked for", "14"), t("extension.reason", "The customer's reason", "Our finance team pays on the 10th"), t("extension.decline_reason", "Why it was declined", "The invoice is already 30 days overdue")] },
  { key: "wallet.credited", label: "Wallet Credited", trigger: "Top-up or free credit added to the wallet", recipient: "primary_contact",
    tags: [t("wallet.credit_amount", "Amount credited", "€50.00"), t("wallet.credit_kind", "Paid top-up or free credit", "Free credit"), t("wallet.balance_paid", "Paid balance", "€120.00"), t("wallet.balance_free", "Free balance", "€50.00"), t("wallet.credit_expires_at", "When the free credit expires", "31 Dec 2026")] },
  { key: "email.template_test", label: "Test Email (template)", trigger: "\"Send Test Email\" on a template", recipient: "address", alwaysToRecipient: true, noCopies: true, tags: [] },
  { key: "email.smtp_test", label: "Test Email (SMTP)", trigger: "\"Send Test Email\" in SMTP Configuration", recipient: "address", alwaysToRecipient: true, noCopies: true,
    tags: [t("test.sent_by", "Who sent the test", "Clara Whitfield"), t("test.sent_at", "When", "22 Nov 2026 10:15 UTC"), t("smtp.host", "SMTP host used", "smtp.example.com"), t("test.message", "Message content entered", "Hello from Cumulus")] },
];

export type EmailEventKey = (typeof EMAIL_EVENTS)[number]["key"];
export const EMAIL_EVENT_KEYS = EMAIL_EVENTS.map((e) => e.key);

export function eventDef(key: string): EmailEventDef | undefined {
  return EMAIL_EVENTS.find((e) => e.key === key);
}

/** Every tag a template of this event may use: the common and branding tags plus the event's own. */
export function tagsFor(key: string): TagDef[] {
  return [...COMMON_TAGS, ...BRANDING_TAGS, ...(eventDef(key)?.tags ?? [])];
}
