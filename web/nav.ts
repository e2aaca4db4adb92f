/**
 * The portal's menu, grouped exactly as the product manual's menu paths ("User Management & Services >>
 * Account Settings >> Personal Profile"). A screen joins the menu by adding an item here: the left navigation,
 * the breadcrumbs and the dashboard's quick links are all derived from this table. Groups and sub-groups with no
 * visible item are not shown, so a sub-group may be listed before its first screen exists.
 */
import type { SessionDto } from "../worker/contract/dto";
import { allows } from "../worker/contract/policy";
import { SCREENS, type Screen } from "../worker/contract/screens";

export interface NavItem {
  label: string;
  /** The screen's path; a function when it depends on the signed-in user. */
  href: string | ((session: SessionDto) => string);
  /** Who may use the screen: its entry in worker/contract/screens.ts (the route guard and the API agree). */
  screen: Screen;
  /** One line for the dashboard's quick links. */
  description: string;
  /**
   * Open with a full page load: the Worker serves this page with a Content-Security-Policy that admits the
   * payment gateway's script and frames (Stripe.js), which the rest of the portal does not allow.
   */
  fullLoad?: true;
}

export interface NavSubgroup {
  /** Omitted for items that sit directly under the group ("Configuration >> Audit Log"). */
  label?: string;
  items: NavItem[];
}

export interface NavGroup {
  label: string;
  subgroups: NavSubgroup[];
}

/**
 * Whether this session may open a screen: the menu shows an item, and the router renders its screen, only when
 * its policy (worker/contract/screens.ts) says yes; a screen reached by its address otherwise shows "Access denied".
 */
export const mayOpen = (screen: Screen, session: SessionDto): boolean => allows(SCREENS[screen].policy, session.user);

export const NAV: NavGroup[] = [
  {
    label: "User Management & Services",
    subgroups: [
      {
        items: [
          {
            label: "Organizations",
            href: "/organizations",
            screen: "listOrganizations",
            description: "Customers and resellers, their users, primary contacts and resource subscriptions.",
          },
          {
            label: "My Organization",
            href: (s) => `/organizations/${encodeURIComponent(s.user.org.id)}`,
            screen: "myOrganization",
            description: "Your organization's details, users and resource subscriptions.",
          },
          {
            label: "Resource Subscriptions",
            href: "/subscriptions",
            screen: "billingRead",
            description: "Every organization's subscriptions: billing cycle, anchor, trial and attached resources.",
          },
          {
            label: "My Subscriptions",
            href: "/my/subscriptions",
            screen: "own",
            description: "Your resource subscriptions, their resources and usage.",
          },
          {
            label: "Staff & Privileges",
            href: "/staff",
            screen: "manageStaff",
            description: "Staff members and the privileges each one holds.",
          },
        ],
      },
      {
        label: "Account Settings",
        items: [
          {
            label: "Personal Profile",
            href: "/account/profile",
            screen: "everyone",
            description: "Your name, email address, phone number, location and time zone.",
          },
          {
            label: "Multi Factor Authentication",
            href: "/account/mfa",
            screen: "everyone",
            description: "A code from an authenticator app at each sign-in, and your recovery codes.",
          },
          {
            label: "Change Password",
            href: "/account/password",
            screen: "everyone",
            description: "Set a new password; your other sessions are signed out.",
          },
          {
            label: "Passkeys & Sessions",
            href: "/account/security",
            screen: "everyone",
            description: "Sign in with a passkey, and see or sign out the devices signed in to your account.",
          },
        ],
      },
    ],
  },
  {
    label: "Billing & Reports",
    subgroups: [
      {
        label: "Account Settings",
        items: [
          {
            label: "Payment Info",
            href: "/billing/payment-info",
            screen: "own",
            description: "Your cards: add a card, choose the default, remove; online or offline payment.",
            fullLoad: true,
          },
        ],
      },
      {
        label: "Customer Billing",
        items: [
          {
            label: "Billing Configurations",
            href: "/billing/configurations",
            screen: "billingRead",
            description: "Currency, Billing Precision, payment terms, invoice numbering and tax rules.",
          },
          {
            label: "Invoices",
            href: "/billing/invoices",
            screen: "billingRead",
            description: "Every customer and reseller invoice: run billing, create, export, cancel, mark paid, resend.",
          },
          {
            label: "Dunning",
            href: "/billing/dunning",
            screen: "billingRead",
            description: "Organizations with overdue invoices: phase, next step, timeline; pause, exempt or resume.",
          },
          {
            label: "Credit Card Status",
            href: "/billing/credit-card-status",
            screen: "creditCardStatus",
            description: "Which organizations have a card on file, blocked or expiring cards, and the money at stake.",
          },
          {
            label: "My Invoices",
            href: "/billing/invoices",
            screen: "own",
            description: "Your invoices with their lines, taxes and payments, as PDF.",
          },
          {
            label: "Transaction Logs",
            href: "/transactions",
            screen: "billingRead",
            description: "Every inbound and outbound transaction, with totals, a chart and CSV export.",
          },
          {
            label: "Wallets",
            href: "/wallets",
            screen: "billingRead",
            description: "Paid and free credit per organization; top up and allocate free credit.",
          },
          {
            label: "My Transactions",
            href: "/my/transactions",
            screen: "own",
            description: "Payments, top-ups and credits of your organization.",
          },
          {
            label: "My Wallet",
            href: "/my/wallet",
            screen: "own",
            description: "Your paid and free credit balance.",
          },
          {
            label: "My Contracts",
            href: "/my/contracts",
            screen: "own",
            description: "The plans your organization is contracted for.",
          },
        ],
      },
      {
        label: "Catalogue",
        items: [
          {
            label: "Products",
            href: "/catalogue/products",
            screen: "billingRead",
            description: "What is sold: fixed fees and pay-as-you-go units with exact prices.",
          },
          {
            label: "Plans",
            href: "/catalogue/plans",
            screen: "billingRead",
            description: "Bundles of products that contracts assign to organizations.",
          },
          {
            label: "Contracts",
            href: "/catalogue/contracts",
            screen: "billingRead",
            description: "Which plan each customer or reseller has, from when until when.",
          },
        ],
      },
    ],
  },
  {
    label: "Configuration",
    subgroups: [
      {
        label: "Email Settings",
        items: [
          {
            label: "Email Templates",
            href: "/email/templates",
            screen: "emailSettings",
            description: "Subjects, content, branding and dynamic tags of every email Cumulus sends.",
          },
          {
            label: "SMTP Configuration",
            href: "/email/smtp",
            screen: "emailSettings",
            description: "The SMTP server that sends Cumulus's email, with a test send.",
          },
          {
            label: "Delivery Configuration",
            href: "/email/delivery",
            screen: "emailSettings",
            description: "Which emails reach customers and resellers, and who gets copies.",
          },
        ],
      },
      {
        items: [
          {
            label: "Email Log",
            href: "/email/log",
            screen: "emailSettings",
            description: "Every email sent or queued, its status and content; resend from here.",
          },
          {
            label: "Audit Log",
            href: "/audit-log",
            screen: "readAudit",
            description: "Who changed what, when and from where, with before and after values.",
          },
        ],
      },
    ],
  },
];

export interface VisibleItem {
  label: string;
  href: string;
  description: string;
  /** `rel="external"`: the router leaves the click to the browser (a full page load, see NavItem.fullLoad). */
  rel?: "external";
}

export interface VisibleGroup {
  label: string;
  subgroups: { label?: string; items: VisibleItem[] }[];
}

/** The menu as this user sees it: only usable screens, and no empty sub-group or group. */
export function visibleNav(session: SessionDto): VisibleGroup[] {
  const groups: VisibleGroup[] = [];
  for (const group of NAV) {
    const subgroups = group.subgroups
      .map((sub) => ({
        label: sub.label,
        items: sub.items
          .filter((item) => mayOpen(item.screen, session))
          .map((item) => ({
            label: item.label,
            href: typeof item.href === "function" ? item.href(session) : item.href,
            description: item.description,
            ...(item.fullLoad ? { rel: "external" as const } : {}),
          })),
      }))
      .filter((sub) => sub.items.length > 0);
    if (subgroups.length > 0) groups.push({ label: group.label, subgroups });
  }
  return groups;
}

export interface Crumb {
  label: string;
  href?: string;
}

/** The menu path to a screen, e.g. ["User Management & Services", "Organizations"]; empty if not in the menu. */
export function menuPath(session: SessionDto, href: string): Crumb[] {
  for (const group of visibleNav(session)) {
    for (const sub of group.subgroups) {
      const item = sub.items.find((i) => i.href === href);
      if (item) {
        return [{ label: group.label }, ...(sub.label ? [{ label: sub.label }] : []), { label: item.label, href: item.href }];
      }
    }
  }
  return [];
}
