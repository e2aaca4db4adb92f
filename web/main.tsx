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
import { cardStatusParams, getCardStatus } from "./api/card-status";
import { dunningListParams, getDunningCase, getDunningCases, getDunningStanding } from "./api/dunning";
import { getInvoice, getInvoices, invoiceListParams } from "./api/invoices";
import { guarded, guardedPreload } from "./components/Guard";
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
        component: guarded("listOrganizations", lazy(() => import("./pages/organizations/OrganizationList"))),
        preload: guardedPreload("listOrganizations", ({ location }) => void getOrganizations(orgListParams(location.query))),
      },
      {
        path: "/organizations/:id",
        component: guarded("viewOrganization", lazy(() => import("./pages/organizations/OrganizationDetail"))),
        preload: guardedPreload("viewOrganization", ({ params }) => void getOrganization(params.id ?? "")),
      },
      { path: "/staff", component: guarded("manageStaff", lazy(() => import("./pages/staff/StaffList"))), preload: guardedPreload("manageStaff", () => void getStaff()) },
      { path: "/staff/:id", component: guarded("manageStaff", lazy(() => import("./pages/staff/StaffEdit"))), preload: guardedPreload("manageStaff", () => void getStaff()) },
      {
        path: "/audit-log",
        component: guarded("readAudit", lazy(() => import("./pages/audit/AuditLog"))),
        preload: guardedPreload("readAudit", ({ location }) => void getAuditLog(auditParams(location.query))),
      },
      { path: "/account/profile", component: lazy(() => import("./pages/account/Profile")), preload: () => void getProfile() },
      { path: "/account/mfa", component: lazy(() => import("./pages/account/Mfa")), preload: () => void getMfaStatus() },
      { path: "/account/password", component: lazy(() => import("./pages/account/ChangePassword")) },
      { path: "/dev/clock", component: guarded("manageStaff", lazy(() => import("./pages/dev/DevClock"))) },
      { path: "/account/more-time", component: guarded("own", lazy(() => import("./pages/account/MoreTime"))), preload: guardedPreload("own", () => void getDunningStanding()) },
      {
        path: "/account/security",
        component: lazy(() => import("./pages/account/Security")),
        preload: () => {
          void getPasskeys();
          void getSessions();
        },
      },
      { path: "/email/templates", component: guarded("emailSettings", lazy(() => import("./pages/email/EmailTemplates"))), preload: guardedPreload("emailSettings", () => void getTemplates()) },
      { path: "/email/templates/:event", component: guarded("emailSettings", lazy(() => import("./pages/email/TemplateEditor"))), preload: guardedPreload("emailSettings", ({ params }) => void getTemplate(params.event ?? "")) },
      { path: "/email/smtp", component: guarded("emailSettings", lazy(() => import("./pages/email/SmtpConfiguration"))), preload: guardedPreload("emailSettings", () => void getSmtp()) },
      { path: "/email/delivery", component: guarded("emailSettings", lazy(() => import("./pages/email/DeliveryConfiguration"))), preload: guardedPreload("emailSettings", () => void getDelivery()) },
      {
        path: "/email/log",
        component: guarded("emailSettings", lazy(() => import("./pages/email/EmailLog"))),
        preload: guardedPreload("emailSettings", ({ location }) => void getEmailLog(emailLogParams(location.query))),
      },
      {
        path: "/email/log/:id",
        component: guarded("emailSettings", lazy(() => import("./pages/email/EmailLog").then((m) => ({ default: m.EmailLogEntry })))),
        preload: guardedPreload("emailSettings", ({ params }) => void getEmailLogEntry(params.id ?? "")),
      },
      { path: "/subscriptions", component: guarded("billingRead", lazy(() => import("./pages/subscriptions/SubscriptionList"))) },
      { path: "/my/subscriptions", component: guarded("own", lazy(() => import("./pages/subscriptions/SubscriptionList"))) },
      { path: "/subscriptions/:id", component: guarded("billingOrOwn", lazy(() => import("./pages/subscriptions/SubscriptionDetail"))) },
      { path: "/catalogue/products", component: guarded("billingRead", lazy(() => import("./pages/catalogue/Products"))) },
      { path: "/catalogue/plans", component: guarded("billingRead", lazy(() => import("./pages/catalogue/Plans"))) },
      { path: "/catalogue/contracts", component: guarded("billingRead", lazy(() => import("./pages/catalogue/Contracts"))) },
      { path: "/my/contracts", component: guarded("own", lazy(() => import("./pages/catalogue/Contracts"))) },
      { path: "/wallets", component: guarded("billingRead", lazy(() => import("./pages/wallet/WalletPage"))) },
      { path: "/my/wallet", component: guarded("own", lazy(() => import("./pages/wallet/WalletPage"))) },
      { path: "/transactions", component: guarded("billingRead", lazy(() => import("./pages/transactions/TransactionLogs"))) },
      { path: "/my/transactions", component: guarded("own", lazy(() => import("./pages/transactions/TransactionLogs"))) },
      { path: "/billing/configurations", component: guarded("billingRead", lazy(() => import("./pages/billing/BillingConfigurations"))), preload: guardedPreload("billingRead", () => void getBillingSettings()) },
      { path: "/billing/payment-info", component: guarded("own", lazy(() => import("./pages/payments/PaymentInfo"))) },
      { path: "/billing/payment-gateways", component: guarded("billingRead", lazy(() => import("./pages/billing/PaymentGateways"))) },
      { path: "/billing/tax-rules", component: guarded("billingRead", lazy(() => import("./pages/billing/TaxRules"))), preload: guardedPreload("billingRead", () => void getTaxRules()) },
      {
        path: "/billing/invoices",
        component: guarded("billingOrOwn", lazy(() => import("./pages/billing/Invoices"))),
        preload: guardedPreload("billingOrOwn", ({ location }) => void getInvoices(invoiceListParams(location.query))),
      },
      { path: "/billing/dunning", component: guarded("billingRead", lazy(() => import("./pages/billing/Dunning"))), preload: guardedPreload("billingRead", ({ location }) => void getDunningCases(dunningListParams(location.query))) },
      {
        path: "/billing/credit-card-status",
        component: guarded("creditCardStatus", lazy(() => import("./pages/billing/CreditCardStatus"))),
        preload: guardedPreload("creditCardStatus", ({ location }) => void getCardStatus(cardStatusParams(location.query))),
      },
      { path: "/billing/dunning/:orgId", component: guarded("billingRead", lazy(() => import("./pages/billing/DunningCase"))), preload: guardedPreload("billingRead", ({ params }) => void getDunningCase(params.orgId ?? "")) },
      { path: "/billing/invoices/new", component: guarded("billingWrite", lazy(() => import("./pages/billing/InvoiceCreate"))) },
      { path: "/billing/invoices/:id", component: guarded("billingOrOwn", lazy(() => import("./pages/billing/InvoiceDetail"))), preload: guardedPreload("billingOrOwn", ({ params }) => void getInvoice(params.id ?? "")) },
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
