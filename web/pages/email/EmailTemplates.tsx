import { For } from "solid-js";
import { A, createAsync } from "@solidjs/router";
import { getTemplates } from "../../api/email";
import { AsyncView } from "../../components/AsyncView";
import { PageHeader } from "../../components/PageHeader";
import { DASH, formatDateTime } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";
import { Icon } from "../../components/Icon";

/** Configuration » Email Settings » Email Templates: every email type; the Edit icon opens the editor. */
export default function EmailTemplates() {
  const session = useSession();
  const templates = createAsync(() => getTemplates());
  return (
    <div class="page">
      <PageHeader title="Email Templates" trail={menuPath(session(), "/email/templates")} />
      <p class="muted">Every email Cumulus sends. Edit a template to change its subject, content and branding; dynamic tags fill in the details when it is sent.</p>
      <AsyncView data={templates} loading="Loading templates…">
        {(items) => (
          <div class="table-wrap" role="region" aria-labelledby="templates-caption" tabindex="0">
            <table class="table">
              <caption id="templates-caption" class="sr-only">
                Email templates
              </caption>
              <thead>
                <tr>
                  <th scope="col">Email type</th>
                  <th scope="col">Sent when</th>
                  <th scope="col">Recipient</th>
                  <th scope="col">Template</th>
                  <th scope="col">Last saved</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={items()}>
                  {(t) => (
                    <tr>
                      <th scope="row">{t.label}</th>
                      <td>{t.trigger}</td>
                      <td>{t.recipient}</td>
                      <td>{t.customized ? `Customized (v${t.version})` : "Default"}</td>
                      <td>{t.updatedAt ? formatDateTime(t.updatedAt) : DASH}</td>
                      <td>
                        <A href={`/email/templates/${encodeURIComponent(t.event)}`} class="btn btn-small" aria-label={`Edit ${t.label}`} title="Edit">
                          <Icon name="edit" /> Edit
                        </A>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </AsyncView>
    </div>
  );
}
