/**
 * The dunning demo for scripts/seed.mjs (docs/decisions/018a-dunning-extensions-and-dev-clock.md): two direct
 * customers whose only subscription was started so that its first invoice, left unpaid, fell due 10 and 17 days
 * before the seed's first run. Nothing here writes a dunning state: the billing history (scripts/seed-history.ts)
 * issues their invoices like every other, and the first dunning sweep after start-up (`npm start` runs the
 * dunning cron once it is up) opens their cases in the organizations' Durable Objects, which place them by the
 * days since the due date: with the default policy (Grace 7, Warning 7, Suspension 14, Delete Notification 7 days)
 * Harbor Lane Studios is in Warning Notification and Quarry Hill Media in Account Suspension.
 *
 * Anchors are relative to the seed's `today`; the rows are inserted with ON CONFLICT DO NOTHING, so later runs
 * keep the first run's dates and the cases simply move on with time, as real ones do.
 */

/** Payment terms of the seeded Currency Settings (14 days) + days overdue → days before today the period began. */
const TERMS_DAYS = 14;
const WARNING_OVERDUE_DAYS = 10;
const SUSPENDED_OVERDUE_DAYS = 17;

export const DUNNING_DEMO_ORGS = [
  { key: "harborlane", kind: "customer", name: "Harbor Lane Studios Ltd", country: "GB", city: "Bristol", phone: "+441179460172", email: "accounts@harborlane-studios.example", tz: "Europe/London",
    billing: { line1: "14 Harbourside Walk", postal: "BS1 5TY", taxId: "GB402918377" } },
  { key: "quarryhill", kind: "customer", name: "Quarry Hill Media Ltd", country: "IE", city: "Cork", phone: "+353215550188", email: "finance@quarryhill-media.example", tz: "Europe/Dublin",
    billing: { line1: "7 Lapps Quay", postal: "T12 RX3P", taxId: "IE6388047V" } },
];

export const DUNNING_DEMO_USERS = [
  { org: "harborlane", role: "customer", first: "Nina", last: "Patel", email: "nina.patel@harborlane-studios.example", phone: "+441179460173", title: "Studio Manager" },
  { org: "quarryhill", role: "customer", first: "Owen", last: "Byrne", email: "owen.byrne@quarryhill-media.example", phone: "+353215550189", title: "Operations Lead" },
];

export const DUNNING_DEMO_ACCOUNTS = [
  { role: "Customer user (dunning: Warning)", email: "nina.patel@harborlane-studios.example", password: "Cumulus-Customer-2026", org: "Harbor Lane Studios Ltd" },
  { role: "Customer user (dunning: Suspended)", email: "owen.byrne@quarryhill-media.example", password: "Cumulus-Customer-2026", org: "Quarry Hill Media Ltd" },
];

/** UTC day `days` after `day` (YYYY-MM-DD). */
function shift(day, days) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Their Resource Subscriptions (monthly, billed in advance), anchored relative to the seed's first day. */
export function dunningDemoSubscriptions(today) {
  return [
    { key: "harborlane-render", org: "harborlane", plan: "starter", name: "Harbor Lane Render Node", model: "fixed", interval: "month",
      anchor: shift(today, -(TERMS_DAYS + WARNING_OVERDUE_DAYS)), status: "live",
      resources: [["virtual_machine", "hl-render-01", "eu-west-2"], ["ip_address", "hl-render-01-ip", "eu-west-2"]] },
    { key: "quarryhill-cms", org: "quarryhill", plan: "starter", name: "Quarry Hill Publishing CMS", model: "fixed", interval: "month",
      anchor: shift(today, -(TERMS_DAYS + SUSPENDED_OVERDUE_DAYS)), status: "live",
      resources: [["virtual_machine", "qh-cms-01", "eu-west-1"], ["ip_address", "qh-cms-01-ip", "eu-west-1"]] },
  ];
}

/** Organizations whose invoices the history leaves unpaid. */
export const DUNNING_DEMO_IN_ARREARS = ["harborlane", "quarryhill"];
