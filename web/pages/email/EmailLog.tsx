import { For, Show, createEffect, createMemo, createSignal, on } from "solid-js";
import { A, createAsync, useAction, useNavigate, useParams } from "@solidjs/router";
import { EMAIL_EVENTS } from "../../../worker/contract/email-events";
import { emailLogParams, getEmailLog, getEmailLogEntry, resendEmail } from "../../api/email";
import { AsyncView } from "../../components/AsyncView";
import { StatusBadge } from "../../components/Badge";
import { DataTable } from "../../components/DataTable";
import { ConfirmDialog } from "../../components/Dialog";
import { FilterBar, SelectFilter, useUrlFilters } from "../../components/FilterBar";
import { ErrorNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { DASH, formatDateTime } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";

const COPY_LABELS = { recipient: "Recipient", bcc_admin: "BCC to me", bcc_extra: "BCC to" } as const;

/** Configuration » Email Log: every email, filterable; each opens with its rendered content and Resend. */
export default function EmailLog() {
  const filters = useUrlFilters(emailLogParams);
  const params = filters.params;
  const data = createAsync(() => getEmailLog(params()));

  return (
    <div class="page">
      <PageHeader title="Email Log" menu="/email/log" />
      <FilterBar
        label="Filter the email log"
        onApply={(form) => filters.apply(filters.fromForm(form, ["q", "status", "event"]))}
        actions={
          <>
            <button type="submit" class="btn btn-primary">
              Apply filters
            </button>
            <Show when={filters.active()}>
              <button type="button" class="btn" onClick={filters.clear}>
                Clear filters
              </button>
            </Show>
          </>
        }
      >
        <div class="field">
          <label for="log-search">Search recipient or subject</label>
          <input id="log-search" name="q" type="search" value={params().q ?? ""} />
        </div>
        <SelectFilter id="log-status" name="status" label="Status" all="Any" value={params().status} options={[["queued", "Queued"], ["sent", "Sent"], ["failed", "Failed"]]} />
        <SelectFilter id="log-type" name="event" label="Email type" all="Any" value={params().event} options={EMAIL_EVENTS.map((e) => [e.key, e.label] as const)} />
      </FilterBar>
      <DataTable
        id="log"
        caption="Emails"
        data={data}
        loading="Loading the email log…"
        filters={filters}
        empty="No email has been sent yet."
        noun="email"
        columns={[
          { header: "Created", cell: (m) => formatDateTime(m.createdAt) },
          {
            header: "Type",
            cell: (m) => (
              <>
                {m.label}
                <Show when={m.copyKind !== "recipient"}>
                  <div class="muted">{COPY_LABELS[m.copyKind]}</div>
                </Show>
              </>
            ),
          },
          { header: "Recipient", cell: (m) => m.to },
          { header: "Subject", cell: (m) => <A href={`/email/log/${encodeURIComponent(m.id)}`}>{m.subject ?? "(not rendered yet)"}</A> },
          { header: "Status", cell: (m) => <StatusBadge status={m.status} /> },
          { header: "Attempts", num: true, cell: (m) => m.attempts },
          { header: "Last error", cell: (m) => m.lastError ?? DASH },
        ]}
      />
    </div>
  );
}

/** One email of the log: details, the rendered content in a sandboxed frame (no script, no same-origin), Resend. */
export function EmailLogEntry() {
  const session = useSession();
  const params = useParams();
  const navigate = useNavigate();
  const entry = createAsync(() => getEmailLogEntry(params.id ?? ""));
  const run = useAction(resendEmail);
  const [confirm, setConfirm] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const [view, setView] = createSignal<"html" | "text">("html");

  async function resend() {
    setConfirm(false);
    setError(undefined);
    try {
      const created = await run(params.id ?? "");
      navigate(`/email/log/${encodeURIComponent(created.id)}`);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div class="page">
      <AsyncView data={entry} loading="Loading the email…" statusHeading="h1">
        {(m) => (
          <>
            <PageHeader title={m().subject ?? "Email"} trail={[...menuPath(session(), "/email/log"), { label: m().id }]} />
            <Show when={error()}>
              <ErrorNotice error={error()} title="The email was not resent." />
            </Show>
            <dl class="details">
              <div>
                <dt>Type</dt>
                <dd>
                  {m().label} ({COPY_LABELS[m().copyKind]})
                </dd>
              </div>
              <div>
                <dt>Recipient</dt>
                <dd>{m().toName ? `${m().toName} <${m().to}>` : m().to}</dd>
              </div>
              <div>
                <dt>Status</dt>
                <dd>
                  <StatusBadge status={m().status} />
                </dd>
              </div>
              <div>
                <dt>Attempts</dt>
                <dd>{m().attempts}</dd>
              </div>
              <div>
                <dt>Last error</dt>
                <dd>{m().lastError ?? DASH}</dd>
              </div>
              <div>
                <dt>Organization</dt>
                <dd>{m().org?.name ?? DASH}</dd>
              </div>
              <div>
                <dt>Created</dt>
                <dd>{formatDateTime(m().createdAt)}</dd>
              </div>
              <div>
                <dt>Sent</dt>
                <dd>{m().sentAt ? formatDateTime(m().sentAt) : DASH}</dd>
              </div>
              <div>
                <dt>Message-ID</dt>
                <dd>{m().messageId ?? DASH}</dd>
              </div>
              <Show when={m().resentFrom}>
                <div>
                  <dt>Resent from</dt>
                  <dd>
                    <A href={`/email/log/${encodeURIComponent(m().resentFrom!)}`}>{m().resentFrom}</A>
                  </dd>
                </div>
              </Show>
            </dl>
            <section class="section" aria-labelledby="content-title">
              <h2 id="content-title">Content</h2>
              <Show when={m().html !== null} fallback={<p class="muted">Not rendered yet: the content is rendered when the email is first sent.</p>}>
                <div class="toolbar" role="group" aria-label="Content view">
                  <button type="button" class="btn btn-small" aria-pressed={view() === "html"} onClick={() => setView("html")}>
                    HTML
                  </button>
                  <button type="button" class="btn btn-small" aria-pressed={view() === "text"} onClick={() => setView("text")}>
                    Plain text
                  </button>
                </div>
                <Show when={view() === "html"} fallback={<pre class="send-result">{m().text}</pre>}>
                  <iframe class="email-preview" title="Email content" sandbox="" srcdoc={m().html ?? ""} />
                </Show>
              </Show>
            </section>
            <div class="toolbar">
              <A href="/email/log" class="btn">
                Back to the Email Log
              </A>
              <Show when={m().status !== "queued" && !m().event.endsWith("_test")}>
                <button type="button" class="btn btn-primary" onClick={() => setConfirm(true)}>
                  Resend
                </button>
              </Show>
            </div>
            <ConfirmDialog open={confirm()} title="Resend this email?" confirmLabel="Resend" onConfirm={() => void resend()} onCancel={() => setConfirm(false)}>
              <p>A new copy is queued to {m().to}. This is recorded in the audit log.</p>
            </ConfirmDialog>
          </>
        )}
      </AsyncView>
    </div>
  );
}
