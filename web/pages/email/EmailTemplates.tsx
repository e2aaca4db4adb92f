import { A, createAsync } from "@solidjs/router";
import { getTemplates } from "../../api/email";
import { DataTable } from "../../components/DataTable";
import { PageHeader } from "../../components/PageHeader";
import { DASH, formatDateTime } from "../../format";
import { Icon } from "../../components/Icon";

/** Configuration » Email Settings » Email Templates: every email type; the Edit icon opens the editor. */
export default function EmailTemplates() {
  const templates = createAsync(() => getTemplates());
  return (
    <div class="page">
      <PageHeader title="Email Templates" menu="/email/templates" />
      <p class="muted">Every email Cumulus sends. Edit a template to change its subject, content and branding; dynamic tags fill in the details when it is sent.</p>
      <DataTable
        id="templates"
        caption="Email templates"
        data={templates}
        loading="Loading templates…"
        empty="There are no email types."
        rowActions={(t) => (
          <A href={`/email/templates/${encodeURIComponent(t.event)}`} class="btn btn-small" aria-label={`Edit ${t.label}`} title="Edit">
            <Icon name="edit" /> Edit
          </A>
        )}
        columns={[
          { header: "Email type", rowHeader: true, cell: (t) => t.label },
          { header: "Sent when", cell: (t) => t.trigger },
          { header: "Recipient", cell: (t) => t.recipient },
          { header: "Template", cell: (t) => (t.customized ? `Customized (v${t.version})` : "Default") },
          { header: "Last saved", cell: (t) => (t.updatedAt ? formatDateTime(t.updatedAt) : DASH) },
        ]}
      />
    </div>
  );
}
