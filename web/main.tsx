/**
 * Entry point: the router, the route table and the sign-in redirect. The shell and every page are lazy chunks;
 * the initial bundle is Solid, the router and the data layer (so route preloads can start the API calls at once).
 */
import { Suspense, lazy, useContext, type JSX } from "solid-js";
import { render } from "solid-js/web";
import { Router, RouterContext, query, useLocation, useNavigate, type RouteDefinition } from "@solidjs/router";
import { setUnauthenticatedHandler } from "./api/client";
import { auditParams, getAuditLog } from "./api/audit";
import { getOrganization, getOrganizations, orgListParams } from "./api/organizations";
import { getStaff } from "./api/staff";
import { getMfaStatus, getPasskeys, getProfile, getSessions } from "./api/account";
import { emailLogParams, getDelivery, getEmailLog, getEmailLogEntry, getSmtp, getTemplate, getTemplates } from "./api/email";
import { getBillingSettings, getTaxRules } from "./api/billing";
import { getInvoice, getInvoices, invoiceListParams } from "./api/invoices";
import "./styles.css";

const routes: RouteDefinition[] = [
  { path: "/sign-in", component: lazy(() => import("./pages/sign-in/SignIn")) },
  { path: "/confirm-email", component: lazy(() => import("./pages/confirm-email/ConfirmEmail")) },
  {
    path: "/",
    component: lazy(() => import("./components/Shell")),
    children: [
      { path: "/", component: lazy(() => import("./pages/home/Home")) },
      {
        path: "/organizations",
        component: lazy(() => import("./pages/organizations/OrganizationList")),
        preload: ({ location }) => void getOrganizations(orgListParams(location.query)),
      },
      {
        path: "/organizations/:id",
        component: lazy(() => import("./pages/organizations/OrganizationDetail")),
        preload: ({ params }) => void getOrganization(params.id ?? ""),
      },
      { path: "/staff", component: lazy(() => import("./pages/staff/StaffList")), preload: () => void getStaff() },
      { path: "/staff/:id", component: lazy(() => import("./pages/staff/StaffEdit")), preload: () => void getStaff() },
      {
        path: "/audit-log",
        component: lazy(() => import("./pages/audit/AuditLog")),
        preload: ({ location }) => void getAuditLog(auditParams(location.query)),
      },
      { path: "/account/profile", component: lazy(() => import("./pages/account/Profile")), preload: () => void getProfile() },
      { path: "/account/mfa", component: lazy(() => import("./pages/account/Mfa")), preload: () => void getMfaStatus() },
      { path: "/account/password", component: lazy(() => import("./pages/account/ChangePassword")) },
      {
        path: "/account/security",
        component: lazy(() => import("./pages/account/Security")),
        preload: () => {
          void getPasskeys();
          void getSessions();
        },
      },
      { path: "/email/templates", component: lazy(() => import("./pages/email/EmailTemplates")), preload: () => void getTemplates() },
      { path: "/email/templates/:event", component: lazy(() => import("./pages/email/TemplateEditor")), preload: ({ params }) => void getTemplate(params.event ?? "") },
      { path: "/email/smtp", component: lazy(() => import("./pages/email/SmtpConfiguration")), preload: () => void getSmtp() },
      { path: "/email/delivery", component: lazy(() => import("./pages/email/DeliveryConfiguration")), preload: () => void getDelivery() },
      {
        path: "/email/log",
        component: lazy(() => import("./pages/email/EmailLog")),
        preload: ({ location }) => void getEmailLog(emailLogParams(location.query)),
      },
      {
        path: "/email/log/:id",
        component: lazy(() => import("./pages/email/EmailLog").then((m) => ({ default: m.EmailLogEntry }))),
        preload: ({ params }) => void getEmailLogEntry(params.id ?? ""),
      },
      { path: "/subscriptions", component: lazy(() => import("./pages/subscriptions/SubscriptionList")) },
      { path: "/my/subscriptions", component: lazy(() => import("./pages/subscriptions/SubscriptionList")) },
      { path: "/subscriptions/:id", component: lazy(() => import("./pages/subscriptions/SubscriptionDetail")) },
      { path: "/catalogue/products", component: lazy(() => import("./pages/catalogue/Products")) },
      { path: "/catalogue/plans", component: lazy(() => import("./pages/catalogue/Plans")) },
      { path: "/catalogue/contracts", component: lazy(() => import("./pages/catalogue/Contracts")) },
      { path: "/my/contracts", component: lazy(() => import("./pages/catalogue/Contracts")) },
      { path: "/wallets", component: lazy(() => import("./pages/wallet/WalletPage")) },
      { path: "/my/wallet", component: lazy(() => import("./pages/wallet/WalletPage")) },
      { path: "/transactions", component: lazy(() => import("./pages/transactions/TransactionLogs")) },
      { path: "/my/transactions", component: lazy(() => import("./pages/transactions/TransactionLogs")) },
      { path: "/billing/configurations", component: lazy(() => import("./pages/billing/BillingConfigurations")), preload: () => void getBillingSettings() },
      { path: "/billing/tax-rules", component: lazy(() => import("./pages/billing/TaxRules")), preload: () => void getTaxRules() },
      {
        path: "/billing/invoices",
        component: lazy(() => import("./pages/billing/Invoices")),
        preload: ({ location }) => void getInvoices(invoiceListParams(location.query)),
      },
      { path: "/billing/invoices/new", component: lazy(() => import("./pages/billing/InvoiceCreate")) },
      { path: "/billing/invoices/:id", component: lazy(() => import("./pages/billing/InvoiceDetail")), preload: ({ params }) => void getInvoice(params.id ?? "") },
      { path: "*404", component: lazy(() => import("./pages/NotFound")) },
    ],
  },
];

/** Sends the user to sign-in (and back afterwards) when any API call answers 401. */
function Root(props: { children?: JSX.Element }) {
  const navigate = useNavigate();
  const location = useLocation();
  const router = useContext(RouterContext);
  setUnauthenticatedHandler(() => {
    // A 401 while a navigation is in flight (its preload failed) should come back to where the user was going.
    const here = router?.pendingTarget?.value ?? location.pathname + location.search;
    if (here.startsWith("/sign-in")) return;
    // Whatever was cached belongs to a session that has ended.
    query.clear();
    navigate(`/sign-in?next=${encodeURIComponent(here)}`, { replace: true });
  });
  return <Suspense>{props.children}</Suspense>;
}

const root = document.getElementById("root");
if (!root) throw new Error("index.html must contain #root");
render(() => <Router root={Root}>{routes}</Router>, root);
