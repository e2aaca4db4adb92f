/**
 * Built-in templates, used until an administrator edits one ("Email Templates"). Simple, table-based HTML that
 * renders in common mail clients, plus a plain-text part.
 */
import { eventDef, type EmailEventDef } from "../../contract/email-events";
import type { TemplateSource } from "../../contract/email-render";

export type { TemplateSource };

const INTRO: Record<string, string> = {
  "account.created": "An account has been created for you. Sign in to get started: {{account.activation_url}}",
  "email.change_confirmation": "Please confirm that {{email_change.new_email}} is your new email address: {{email_change.confirm_url}} (the link expires {{email_change.expires_at}}).",
  "email.change_notice": "The email address of your account is being changed to {{email_change.new_email}} ({{security.changed_at}}, from {{request.ip}}). If this was not you, contact support at once.",
  "password.changed": "Your password was changed on {{security.changed_at}} from {{request.ip}}. Your other sessions were signed out. If this was not you, contact support at once.",
  "mfa.enabled": "Multi-factor authentication ({{mfa.method}}) was enabled on your account on {{security.changed_at}} from {{request.ip}}.",
  "mfa.disabled": "Multi-factor authentication ({{mfa.method}}) was disabled on your account on {{security.changed_at}} from {{request.ip}}. If this was not you, contact support at once.",
  "passkey.added": "A passkey named \"{{passkey.name}}\" was added to your account on {{security.changed_at}}.",
  "invoice.issued": "Invoice {{invoice.number}} for {{invoice.period_from}} – {{invoice.period_to}} has been issued: {{invoice.total}}, due {{invoice.due_date}}. View it at {{invoice.url}}",
  "invoice.resent": "Here is invoice {{invoice.number}} ({{invoice.status}}): {{invoice.total}}, due {{invoice.due_date}}. View it at {{invoice.url}}",
  "payment.succeeded": "We received your payment of {{payment.amount}} for invoice {{invoice.number}} on {{payment.date}} ({{payment.method}}). Amount still due: {{invoice.amount_due}}. Your receipt: {{payment.receipt_url}}",
  "payment.failed": "Your payment of {{payment.amount}} for invoice {{invoice.number}} failed: {{payment.failure_reason}}. Please update your payment method: {{billing.payment_info_url}}",
  "payment.action_required": "Your bank asks you to confirm the payment of {{payment.amount}} for invoice {{invoice.number}} with your card ending {{card.last4}}. The invoice is still unpaid: please pay it in the portal: {{portal.pay_url}}",
  "card.blocked": "Your {{card.brand}} card ending {{card.last4}} has been blocked after {{card.decline_count}} declined payments. Please add another card: {{billing.payment_info_url}}",
  "card.expiring": "Your {{card.brand}} card ending {{card.last4}} expires at the end of {{card.expiry}}: from {{card.expires_on}} it can no longer pay your invoices. Please add your new card: {{billing.payment_info_url}}",
  "dunning.overdue": "Your payment of {{dunning.amount_due}} was due on {{dunning.oldest_due_date}} and has not reached us yet. Please pay before {{dunning.warning_date}} to avoid reminders and a suspension: {{portal.pay_url}}",
  "dunning.warning": "Your account is {{dunning.days_overdue}} days overdue with {{dunning.amount_due}} unpaid. It will be suspended on {{dunning.suspension_date}} unless paid: {{portal.pay_url}}",
  "account.suspended": "Your account has been suspended for non-payment of {{dunning.amount_due}}. Resources will be terminated on {{dunning.termination_date}} unless paid: {{portal.pay_url}}",
  "dunning.delete_notice": "Final notice: {{resources.count}} resources ({{resources.summary}}) will be terminated on {{dunning.termination_date}} unless {{dunning.amount_due}} is paid: {{portal.pay_url}}",
  "resources.terminated": "The resources of {{subscription.name}} ({{resources.summary}}) were terminated on {{termination.date}}.",
  "account.reactivated": "Thank you: your payment of {{payment.amount}} was received and your account was fully restored on {{account.reactivated_at}}.",
  "dunning.extension_approved": "Your request for {{extension.days}} more days to pay was approved: nothing more happens to your account until {{extension.until}}. Please pay the overdue invoices by then.",
  "dunning.extension_declined": "Your request for {{extension.days}} more days to pay was declined: {{extension.decline_reason}}. Please pay the overdue invoices to keep your account running.",
  "wallet.credited": "{{wallet.credit_amount}} ({{wallet.credit_kind}}) was added to your wallet. Balances: paid {{wallet.balance_paid}}, free {{wallet.balance_free}}.",
  "email.template_test": "This is a test of an email template.",
  "email.smtp_test": "{{test.message}} — sent by {{test.sent_by}} on {{test.sent_at}} through {{smtp.host}}.",
};

/** The intro for the HTML part: every URL tag (`{{invoice.url}}`, `{{…_url}}`) becomes a real link. */
export function linkedIntro(intro: string): string {
  return intro.replace(/\{\{([a-z0-9_.]*url)\}\}/g, (tag) => `<a href="${tag}" style="color:{{brand.link_color}}">${tag}</a>`);
}

function layout(def: EmailEventDef, intro: string): string {
  return `<!doctype html>
<html><body style="margin:0;padding:0;background:{{brand.background}};font-family:Arial,Helvetica,sans-serif;color:#1f2933">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:{{brand.background}};padding:24px 0">
<tr><td align="center">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:6px">
<tr><td style="padding:20px 24px;border-bottom:1px solid #e4e7eb;font-size:20px;font-weight:bold;color:{{brand.heading_color}}"><img src="{{platform.logo_url}}" alt="" height="32" style="height:32px;vertical-align:middle;border:0"> {{platform.name}}</td></tr>
<tr><td style="padding:24px;font-size:15px;line-height:1.5">
<h1 style="font-size:18px;margin:0 0 16px;color:{{brand.heading_color}}">${def.label}</h1>
<p style="margin:0 0 12px">Hello {{user.first_name}},</p>
<p style="margin:0 0 12px">${linkedIntro(intro)}</p>
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #e4e7eb;font-size:12px;color:#616e7c">{{organization.name}} · <a href="{{portal.url}}" style="color:{{brand.link_color}}">{{portal.url}}</a> · {{support.email}}</td></tr>
</table></td></tr></table></body></html>`;
}

export function defaultTemplate(eventKey: string): TemplateSource {
  const def = eventDef(eventKey);
  if (!def) throw new Error(`Unknown email event ${eventKey}`);
  const intro = INTRO[eventKey] ?? def.trigger;
  return {
    subject: `{{platform.name}}: ${def.label}`,
    html: layout(def, intro),
    text: `Hello {{user.first_name}},\n\n${intro}\n\n-- \n{{platform.name}} · {{portal.url}}\n`,
  };
}
