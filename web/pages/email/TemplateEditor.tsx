import { For, Show, createMemo, createSignal, type Accessor } from "solid-js";
import { A, createAsync, useAction, useParams } from "@solidjs/router";
import type { TemplateDetail } from "../../../worker/contract/email-dto";
import { DEFAULT_BRANDING, exampleValues, renderTemplate, type Branding } from "../../../worker/contract/email-render";
import { hasPrivilege } from "../../../worker/contract/roles";
import { isApiError } from "../../api/client";
import { getAssets, getTemplate, resetTemplate, restoreTemplate, saveTemplate, sendTemplateTest, uploadAsset } from "../../api/email";
import { OrgPicker } from "../../components/OrgPicker";
import { AsyncView } from "../../components/AsyncView";
import { ConfirmDialog } from "../../components/Dialog";
import { Drawer } from "../../components/Drawer";
import { TextField } from "../../components/Field";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { FooterBar } from "../../components/FooterBar";
import { Outcome } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { TestEmailDrawer } from "../../components/TestEmailDrawer";
import { formatDateTime } from "../../format";
import { useFormAction } from "../../forms";
import { menuPath } from "../../nav";
import { useSession } from "../../session";

/** Email Templates » Edit: subject, HTML and text with a live preview, branding, versions, tags and a test send. */
export default function TemplateEditor() {
  const params = useParams();
  const template = createAsync(() => getTemplate(params.event ?? ""));
  return (
    <div class="page">
      <AsyncView data={template} loading="Loading the template…" statusHeading="h1">
        {(t) => <Editor template={t} />}
      </AsyncView>
    </div>
  );
}

async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function Editor(props: { template: Accessor<TemplateDetail> }) {
  const session = useSession();
  const t = props.template;
  const [subject, setSubject] = createSignal(t().subject);
  const [html, setHtml] = createSignal(t().html);
  const [text, setText] = createSignal(t().text);
  const [branding, setBranding] = createSignal<Branding>({ ...t().branding });
  const [notice, setNotice] = createSignal<string>();
  const [tagsOpen, setTagsOpen] = createSignal(false);
  const [testOpen, setTestOpen] = createSignal(false);
  const [confirm, setConfirm] = createSignal<{ kind: "reset" } | { kind: "restore"; version: number } | null>(null);
  const [copied, setCopied] = createSignal<string>();
  const [uploadError, setUploadError] = createSignal<string>();
  const assets = createAsync(() => getAssets());
  const saving = useFormAction(saveTemplate);
  const resetting = useFormAction(resetTemplate);
  const restoring = useFormAction(restoreTemplate);
  // One notice for the three writes: each attempt clears what the others showed.
  const writes = [saving, resetting, restoring];
  const error = () => saving.error() ?? resetting.error() ?? restoring.error();
  const pending = saving.pending;
  const runUpload = useAction(uploadAsset);
  let htmlArea!: HTMLTextAreaElement;

  const fields = () => {
    const e = error();
    return isApiError(e) ? (e.fields ?? {}) : {};
  };
  const load = (d: TemplateDetail) => {
    setSubject(d.subject);
    setHtml(d.html);
    setText(d.text);
    setBranding({ ...d.branding });
  };
  const draft = () => ({ subject: subject(), html: html(), text: text(), branding: branding() });
  const preview = createMemo(() => renderTemplate(draft(), exampleValues(t().event, t().origin), branding(), t().origin));
  const colour = (key: "background" | "headingColor" | "linkColor") => branding()[key] ?? DEFAULT_BRANDING[key];

  async function save(e?: SubmitEvent) {
    e?.preventDefault();
    if (pending()) return;
    writes.forEach((w) => w.reset());
    setNotice(undefined);
    const saved = await saving.submit(t().event, draft());
    if (!saved) return;
    load(saved);
    setNotice(saved.notice ?? `Saved as version ${saved.version}.`);
  }

  async function onConfirm() {
    const c = confirm();
    if (!c) return;
    setConfirm(null);
    writes.forEach((w) => w.reset());
    const d = c.kind === "reset" ? await resetting.submit(t().event) : await restoring.submit(t().event, c.version);
    if (!d) return;
    load(d);
    setNotice(c.kind === "reset" ? `Reset to the default template (version ${d.version}).` : `Version ${c.version} restored as version ${d.version}.`);
  }

  function insert(snippet: string) {
    const start = htmlArea.selectionStart ?? html().length;
    const end = htmlArea.selectionEnd ?? start;
    setHtml(html().slice(0, start) + snippet + html().slice(end));
    htmlArea.focus();
    htmlArea.setSelectionRange(start + snippet.length, start + snippet.length);
  }

  async function upload(file: File | undefined, asLogo: boolean) {
    setUploadError(undefined);
    if (!file) return;
    if (file.size > 512 * 1024) return setUploadError("Images can be 512 KB at most.");
    try {
      const asset = await runUpload({ name: file.name, contentType: file.type, data: await fileToBase64(file) });
      if (asLogo) setBranding({ ...branding(), logoAssetId: asset.id });
      else insert(`<img src="${asset.url}" alt="" style="max-width:100%;border:0">`);
    } catch (err) {
      setUploadError(isApiError(err) ? (Object.values(err.fields ?? {})[0] ?? err.message) : "The image could not be uploaded.");
    }
  }

  async function copy(tag: string) {
    const value = `{{${tag}}}`;
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard refused (permissions): select the text for a manual copy instead.
    }
    setCopied(tag);
  }

  return (
    <>
      <PageHeader title={`Edit Email Template: ${t().label}`} trail={[...menuPath(session(), "/email/templates"), { label: t().label }]} />
      <p class="muted">
        Sent when: {t().trigger}. {t().customized ? `Customized, version ${t().version}.` : "Using the default template."}
      </p>
      <Outcome notice={notice()} error={error()} title="The template was not saved." />
      <div class="email-editor">
        <form id="template-form" novalidate onSubmit={save}>
          <TextField id="tpl-subject" label="Subject" value={subject()} onInput={setSubject} error={fields().subject} />
          <div class="field">
            <label for="tpl-html">HTML body</label>
            <div class="toolbar" role="toolbar" aria-label="Insert into the HTML body">
              <button type="button" class="btn btn-small" onClick={() => insert(`<h2 style="color:{{brand.heading_color}}">Heading</h2>\n`)}>
                Insert heading
              </button>
              <button type="button" class="btn btn-small" onClick={() => insert(`<a href="{{portal.url}}" style="color:{{brand.link_color}}">Link text</a>`)}>
                Insert link
              </button>
              <label class="btn btn-small" for="tpl-image">
                Insert image…
              </label>
              <input id="tpl-image" class="sr-only" type="file" accept="image/png,image/jpeg,image/gif,image/webp" onChange={(e) => void upload(e.currentTarget.files?.[0], false).then(() => (e.currentTarget.value = ""))} />
            </div>
            <textarea ref={htmlArea} id="tpl-html" rows={18} spellcheck={false} value={html()} onInput={(e) => setHtml(e.currentTarget.value)} aria-invalid={fields().html ? true : undefined} aria-describedby={errorIdFor("tpl-html", fields().html)} />
            <FieldError for="tpl-html" message={fields().html} />
          </div>
          <TextField id="tpl-text" label="Plain text" rows={6} value={text()} onInput={setText} error={fields().text} />
          <fieldset class="fieldset">
            <legend>Branding</legend>
            <div class="inline-fields">
              <div class="field">
                <label for="tpl-bg">Background colour</label>
                <input id="tpl-bg" type="color" value={colour("background")} onInput={(e) => setBranding({ ...branding(), background: e.currentTarget.value })} />
              </div>
              <div class="field">
                <label for="tpl-heading">Heading colour</label>
                <input id="tpl-heading" type="color" value={colour("headingColor")} onInput={(e) => setBranding({ ...branding(), headingColor: e.currentTarget.value })} />
              </div>
              <div class="field">
                <label for="tpl-link">Link colour</label>
                <input id="tpl-link" type="color" value={colour("linkColor")} onInput={(e) => setBranding({ ...branding(), linkColor: e.currentTarget.value })} />
              </div>
            </div>
            <div class="field">
              <label for="tpl-logo">Logo</label>
              <select id="tpl-logo" value={branding().logoAssetId ?? ""} onChange={(e) => setBranding({ ...branding(), logoAssetId: e.currentTarget.value || null })}>
                <option value="">Default logo</option>
                <For each={assets() ?? []}>{(a) => <option value={a.id}>{a.name}</option>}</For>
              </select>
              <p class="field-hint">Used for {"{{platform.logo_url}}"}. Upload a PNG, JPEG, GIF or WebP image (512 KB at most).</p>
              <label for="tpl-logo-upload">Upload logo</label>
              <input id="tpl-logo-upload" type="file" accept="image/png,image/jpeg,image/gif,image/webp" onChange={(e) => void upload(e.currentTarget.files?.[0], true)} aria-describedby={errorIdFor("tpl-logo-upload", uploadError())} />
              <FieldError for="tpl-logo-upload" message={uploadError()} alert />
              <FieldError for="tpl-logo" message={fields()["branding.logoAssetId"]} />
            </div>
          </fieldset>
        </form>
        <section aria-labelledby="preview-title">
          <h2 id="preview-title">Preview</h2>
          <p>
            <strong>Subject:</strong> <span data-testid="preview-subject">{preview().subject}</span>
          </p>
          <iframe class="email-preview" title="Email preview" sandbox="" srcdoc={preview().html} />
          <p class="field-hint">Shown with example values for the tags; the sent email is sanitized the same way as on save.</p>
        </section>
      </div>

      <section class="section" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        <Show when={t().versions.length > 0} fallback={<p class="muted">No saved versions yet: this type uses the default template.</p>}>
          <ul class="tag-list">
            <For each={t().versions}>
              {(v) => (
                <li>
                  Version {v.version} · {v.note} · {formatDateTime(v.createdAt)}{" "}
                  <Show when={v.version !== t().version}>
                    <button type="button" class="btn btn-small" onClick={() => setConfirm({ kind: "restore", version: v.version })}>
                      Restore version {v.version}
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>

      <FooterBar>
        <span>
          Dynamic tags:{" "}
          <button type="button" class="btn-link" onClick={() => setTagsOpen(true)}>
            Click Here
          </button>
        </span>
        <button type="button" class="btn" onClick={() => setTestOpen(true)}>
          Send Test Email
        </button>
        <button type="button" class="btn" onClick={() => setConfirm({ kind: "reset" })}>
          Reset to Default
        </button>
        <A href="/email/templates" class="btn">
          Cancel
        </A>
        <button type="submit" form="template-form" class="btn btn-primary" aria-disabled={pending()}>
          Save
        </button>
      </FooterBar>

      <Drawer
        open={tagsOpen()}
        title="Dynamic Tags"
        onClose={() => setTagsOpen(false)}
        footer={
          <button type="button" class="btn" onClick={() => setTagsOpen(false)}>
            Cancel
          </button>
        }
      >
        <p>Copy a tag and paste it into the subject, HTML body or plain text. Values are filled in when the email is sent.</p>
        <ul class="tag-list">
          <For each={t().tags}>
            {(tag) => (
              <li>
                <code>{`{{${tag.name}}}`}</code>{" "}
                <button type="button" class="btn btn-small" aria-label={`Copy {{${tag.name}}}`} onClick={() => void copy(tag.name)}>
                  {copied() === tag.name ? "Copied" : "Copy"}
                </button>
                <div>{tag.description}</div>
                <div class="muted">Example: {tag.example}</div>
              </li>
            )}
          </For>
        </ul>
      </Drawer>

      <TestDrawer open={testOpen()} onClose={() => setTestOpen(false)} event={t().event} draft={draft} />

      <ConfirmDialog
        open={confirm() !== null}
        title={confirm()?.kind === "reset" ? "Reset to the default template?" : "Restore this version?"}
        confirmLabel={confirm()?.kind === "reset" ? "Reset" : "Restore"}
        onConfirm={() => void onConfirm()}
        onCancel={() => setConfirm(null)}
      >
        <p>The current template is kept as a version, so you can restore it later.</p>
      </ConfirmDialog>
    </>
  );
}

function TestDrawer(props: { open: boolean; onClose: () => void; event: string; draft: () => { subject: string; html: string; text: string; branding: Branding } }) {
  const session = useSession();
  const [orgId, setOrgId] = createSignal("");
  const form = useFormAction(sendTemplateTest);
  const canListOrgs = () => hasPrivilege(session().user, "organizations.read");
  return (
    <TestEmailDrawer
      open={props.open}
      onClose={props.onClose}
      form={form}
      send={(to) => form.submit(props.event, { ...props.draft(), to, orgId: orgId() || null })}
      formId="template-test-form"
      toId="test-to"
      submitLabel="Send"
    >
      <Show when={canListOrgs()}>
        <OrgPicker id="test-org" label="Fill tags with data of" source="organizations" allowAll="Example values" value={orgId()} onChange={(id) => setOrgId(id)} />
      </Show>
      <p class="field-hint">The email is rendered from the editor as it is now (saved or not) and sent with the SMTP Configuration.</p>
    </TestEmailDrawer>
  );
}
