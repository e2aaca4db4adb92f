import { For, Show, createMemo, createSignal, type Accessor } from "solid-js";
import { createAsync, useAction, useParams, useSubmission } from "@solidjs/router";
import type { OrganizationDetail as Org } from "../../../worker/contract/dto";
import { ROLE_LABELS, hasPrivilege } from "../../../worker/contract/roles";
import { BillingDetailsSection } from "../billing/LegalDetails";
import { isApiError } from "../../api/client";
import { changePrimaryContact, getOrganization } from "../../api/organizations";
import { AsyncView } from "../../components/AsyncView";
import { Badge, StatusBadge } from "../../components/Badge";
import { DataTable } from "../../components/DataTable";
import { ConfirmDialog } from "../../components/Dialog";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { FooterBar } from "../../components/FooterBar";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import {
  DASH,
  INTERVAL_LABELS,
  MODEL_LABELS,
  ORG_KIND_LABELS,
  countryName,
  formatDate,
  formatDateTime,
  fullName,
  sentence,
} from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";
import { WalletPanel } from "../wallet/WalletPanel";

export default function OrganizationDetail() {
  const params = useParams();
  const org = createAsync(() => getOrganization(params.id ?? ""));
  return (
    <div class="page">
      <AsyncView data={org} loading="Loading organization…" statusHeading="h1" resetKey={() => params.id}>
        {(o) => <OrganizationView org={o} />}
      </AsyncView>
    </div>
  );
}

function OrganizationView(props: { org: Accessor<Org> }) {
  const session = useSession();
  const org = props.org;
  const canEdit = () => hasPrivilege(session().user, "organizations.write");
  const trail = createMemo(() => {
    const own = menuPath(session(), `/organizations/${encodeURIComponent(org().id)}`);
    if (own.length > 0) return own;
    return [...menuPath(session(), "/organizations"), { label: org().name }];
  });
  const linkOrgs = () => session().user.role !== "customer";

  const [editing, setEditing] = createSignal(false);
  const [success, setSuccess] = createSignal("");
  let successEl: HTMLDivElement | undefined;

  return (
    <>
      <PageHeader title={org().name} trail={trail()}>
        <div class="badges">
          <Badge>{ORG_KIND_LABELS[org().kind]}</Badge>
          <StatusBadge status={org().status} />
        </div>
      </PageHeader>

      <Show when={success()}>
        <SuccessNotice ref={(el) => (successEl = el)}>{success()}</SuccessNotice>
      </Show>

      <section class="section" aria-labelledby="org-details-title">
        <h2 id="org-details-title">Details</h2>
        <dl class="details">
          <div>
            <dt>Type</dt>
            <dd>{ORG_KIND_LABELS[org().kind]}</dd>
          </div>
          <Show when={org().kind === "customer"}>
            <div>
              <dt>Reseller</dt>
              <dd>
                <Show when={org().reseller} fallback="Direct customer">
                  {(r) => (linkOrgs() ? <a href={`/organizations/${encodeURIComponent(r().id)}`}>{r().name}</a> : r().name)}
                </Show>
              </dd>
            </div>
          </Show>
          <div>
            <dt>Primary Contact</dt>
            <dd>
              <Show when={org().primaryContact} fallback="None">
                {(c) => (
                  <>
                    {c().name}
                    <span class="cell-sub">{c().email}</span>
                  </>
                )}
              </Show>
            </dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd>{org().email ?? DASH}</dd>
          </div>
          <div>
            <dt>Phone</dt>
            <dd>{org().phone ?? DASH}</dd>
          </div>
          <div>
            <dt>Country</dt>
            <dd>{countryName(org().country)}</dd>
          </div>
          <div>
            <dt>City</dt>
            <dd>{org().city ?? DASH}</dd>
          </div>
          <div>
            <dt>Time zone</dt>
            <dd>{org().timeZone}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{formatDate(org().createdAt)}</dd>
          </div>
        </dl>
      </section>

      <Show when={org().kind !== "operator"}>
        <BillingDetailsSection orgId={org().id} canWrite={canEdit()} />
      </Show>

      <section class="section" aria-labelledby="org-users-title">
        <h2 id="org-users-title">Users</h2>
        <DataTable
          id="org-users"
          caption="Users"
          data={() => org().users}
          empty="This organization has no users."
          columns={[
            { header: "Name", rowHeader: true, cell: (user) => <UserName user={user} /> },
            { header: "Email", cell: (user) => user.email },
            { header: "Phone", cell: (user) => user.phone ?? DASH },
            { header: "Role", cell: (user) => ROLE_LABELS[user.role] },
            { header: "Last sign-in", class: "nowrap", cell: (user) => (user.lastLoginAt ? formatDateTime(user.lastLoginAt) : "Never") },
          ]}
        />
      </section>

      <Show when={org().kind === "reseller"}>
        <section class="section" aria-labelledby="org-customers-title">
          <h2 id="org-customers-title">Customers</h2>
          <Show when={org().customers.length > 0} fallback={<p class="empty-state">This reseller has no customers yet.</p>}>
            <ul class="link-list">
              <For each={org().customers}>
                {(c) => (
                  <li>
                    <a href={`/organizations/${encodeURIComponent(c.id)}`}>{c.name}</a>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
      </Show>

      <section class="section" aria-labelledby="org-subs-title">
        <h2 id="org-subs-title">Resource Subscriptions</h2>
        <DataTable
          id="org-subs"
          caption="Resource Subscriptions"
          data={() => org().subscriptions}
          loading="Loading subscriptions…"
          empty="No resource subscriptions."
          columns={[
            { header: "Name", rowHeader: true, cell: (sub) => <a href={`/subscriptions/${encodeURIComponent(sub.id)}`}>{sub.name}</a> },
            { header: "Plan", cell: (sub) => sub.planName },
            { header: "Model", cell: (sub) => MODEL_LABELS[sub.model] },
            { header: "Billing cycle", cell: (sub) => INTERVAL_LABELS[sub.billingInterval] },
            { header: "Status", cell: (sub) => <StatusBadge status={sub.status} /> },
            { header: "Trial ends", cell: (sub) => formatDate(sub.trialEndsAt) },
          ]}
        />
      </section>

      <Show when={org().kind !== "operator" && (session().user.role === "reseller" || session().user.role === "customer" || hasPrivilege(session().user, "billing.read"))}>
        <WalletPanel orgId={org().id} showGrants={false} />
      </Show>

      {/* Edit mode sits last, just above the footer, so Tab goes from the select straight to Cancel and Save. */}
      <Show when={editing()}>
        <PrimaryContactForm
          org={org}
          onSaved={(name) => {
            setEditing(false);
            setSuccess(sentence(`The primary contact is now ${name}`));
            // The dialog has to close (and release focus) before the notice can take it.
            setTimeout(() => successEl?.focus());
          }}
        />
      </Show>

      <Show when={canEdit() && org().users.length > 0}>
        <FooterBar>
          <Show
            when={editing()}
            fallback={
              <button
                type="button"
                class="btn btn-primary"
                onClick={() => {
                  setSuccess("");
                  setEditing(true);
                }}
              >
                Change Primary Contact
              </button>
            }
          >
            <button type="button" class="btn" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" form="primary-contact-form" class="btn btn-primary">
              Save
            </button>
          </Show>
        </FooterBar>
      </Show>
    </>
  );
}

/** Edit mode for the primary contact: a select (its Save button is in the page footer), then a confirmation. */
function PrimaryContactForm(props: { org: Accessor<Org>; onSaved: (name: string) => void }) {
  const org = props.org;
  const run = useAction(changePrimaryContact);
  const submission = useSubmission(changePrimaryContact);
  const candidates = () => org().users.filter((u) => u.status === "active");
  const current = () => org().users.find((u) => u.isPrimaryContact);
  const [userId, setUserId] = createSignal(current()?.id ?? candidates()[0]?.id ?? "");
  const [fieldError, setFieldError] = createSignal("");
  const [error, setError] = createSignal<unknown>();
  const [confirming, setConfirming] = createSignal(false);
  const chosen = () => org().users.find((u) => u.id === userId());

  function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    setError(undefined);
    if (!chosen()) return setFieldError("Choose the user who becomes the primary contact.");
    if (chosen()?.id === current()?.id) return setFieldError(`${fullName(chosen()!)} is already the primary contact.`);
    setFieldError("");
    setConfirming(true);
  }

  async function confirm() {
    const user = chosen();
    if (!user) return;
    try {
      await run(org().id, user.id);
      setConfirming(false);
      props.onSaved(fullName(user));
    } catch (err) {
      setConfirming(false);
      const fieldMessage = isApiError(err) ? err.fields?.userId : undefined;
      if (fieldMessage) setFieldError(fieldMessage);
      else setError(err);
    }
  }

  return (
    <section class="section section-edit" aria-labelledby="primary-contact-title">
      <h2 id="primary-contact-title">Change Primary Contact</h2>
      <p class="muted">The primary contact receives the organization's invoices and billing emails.</p>
      <Show when={error()}>
        <ErrorNotice error={error()} title="The primary contact was not changed." />
      </Show>
      <form id="primary-contact-form" novalidate onSubmit={onSubmit}>
        <div class="field">
          <label for="primary-contact">Primary Contact</label>
          <select
            id="primary-contact"
            ref={(el) => setTimeout(() => el.focus())}
            value={userId()}
            onChange={(e) => {
              setUserId(e.currentTarget.value);
              setFieldError("");
            }}
            aria-invalid={fieldError() ? true : undefined}
            aria-describedby={errorIdFor("primary-contact", fieldError())}
          >
            <For each={candidates()}>
              {(u) => (
                <option value={u.id}>
                  {fullName(u)} ({u.email})
                </option>
              )}
            </For>
          </select>
          <FieldError for="primary-contact" message={fieldError()} />
        </div>
      </form>
      <ConfirmDialog
        open={confirming()}
        title="Change the primary contact?"
        confirmLabel="Change Primary Contact"
        pending={submission.pending === true}
        onConfirm={() => void confirm()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          {chosen() ? fullName(chosen()!) : ""} becomes the primary contact
          {current() ? `, replacing ${fullName(current()!)}` : ""}. Invoices and billing emails for {org().name} will go to
          them from now on.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** A user's name cell: job title below, and the Primary Contact and Disabled badges. */
function UserName(props: { user: Org["users"][number] }) {
  const user = props.user;
  return (
    <>
      {fullName(user)}
      <Show when={user.jobTitle}>
        <span class="cell-sub">{user.jobTitle}</span>
      </Show>
      <Show when={user.isPrimaryContact || user.status === "disabled"}>
        <span class="badges">
          <Show when={user.isPrimaryContact}>
            <Badge tone="accent">Primary Contact</Badge>
          </Show>
          <Show when={user.status === "disabled"}>
            <StatusBadge status="disabled" />
          </Show>
        </span>
      </Show>
    </>
  );
}
