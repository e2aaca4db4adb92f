import { Show, createSignal } from "solid-js";
import { createAsync, useAction } from "@solidjs/router";
import type { LoginSession, Passkey } from "../../../worker/contract/account";
import { deletePasskey, getMfaStatus, getPasskeys, getSessions, registerPasskey, renamePasskey, revokeOtherSessions, revokeSession } from "../../api/account";
import { DataTable } from "../../components/DataTable";
import { ConfirmDialog } from "../../components/Dialog";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { SubmitButton } from "../../components/FooterBar";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { createStepUp } from "../../components/StepUp";
import { useFormAction } from "../../forms";
import { formatDateTime } from "../../format";
import { useSession } from "../../session";

const HREF = "/account/security";

function describeAgent(ua: string | null): string {
  if (!ua) return "Unknown device";
  const browser = /Edg\//.test(ua) ? "Edge" : /Chrome\//.test(ua) ? "Chrome" : /Firefox\//.test(ua) ? "Firefox" : /Safari\//.test(ua) ? "Safari" : "Browser";
  const os = /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Linux/.test(ua) ? "Linux" : "";
  return os ? `${browser} on ${os}` : browser;
}

/** User Management & Services >> Account Settings >> Passkeys & Sessions. */
export default function PasskeysAndSessions() {
  const session = useSession();
  const passkeys = createAsync(() => getPasskeys());
  const sessions = createAsync(() => getSessions());
  const mfa = createAsync(() => getMfaStatus());
  const stepUp = createStepUp({ mfa: () => mfa()?.totpEnabled ?? false, passkeys: () => (passkeys()?.length ?? 0) > 0 });
  const [notice, setNotice] = createSignal<string>();
  const [error, setError] = createSignal<unknown>();
  const [renaming, setRenaming] = createSignal<string>();
  const [toDelete, setToDelete] = createSignal<Passkey>();
  const adding = useFormAction(registerPasskey);
  const nameError = () => adding.fieldError("name");
  const deleteOne = useAction(deletePasskey);
  const rename = useAction(renamePasskey);
  const revokeOne = useAction(revokeSession);
  const revokeOthers = useAction(revokeOtherSessions);

  function clear() {
    setNotice(undefined);
    setError(undefined);
    adding.reset();
  }

  async function add(e: SubmitEvent) {
    e.preventDefault();
    if (adding.pending()) return;
    clear();
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem("name") as HTMLInputElement;
    const name = input.value.trim();
    if (!adding.check(name ? {} : { name: "Give the passkey a name, e.g. \"Work laptop\"." })) return input.focus();
    const created = await adding.submit(name);
    if (created) {
      input.value = "";
      setNotice(`Passkey "${created.name}" added. You can now sign in with it.`);
    } else if (nameError()) input.focus();
  }

  async function saveName(p: Passkey, e: SubmitEvent) {
    e.preventDefault();
    clear();
    const name = ((e.currentTarget as HTMLFormElement).elements.namedItem("name") as HTMLInputElement).value.trim();
    try {
      await rename(p.id, name);
      setRenaming(undefined);
      setNotice("Passkey renamed.");
    } catch (err) {
      setError(err);
    }
  }

  async function remove(p: Passkey) {
    clear();
    // The confirmation closes first, so the step-up dialog (if the API asks for one) is the only one open.
    setToDelete(undefined);
    try {
      if (await stepUp.guard(() => deleteOne(p.id))) setNotice(`Passkey "${p.name}" deleted.`);
    } catch (err) {
      setError(err);
    }
  }

  async function signOut(s: LoginSession) {
    clear();
    try {
      await revokeOne(s.id);
      setNotice("That session was signed out.");
    } catch (err) {
      setError(err);
    }
  }

  async function signOutOthers() {
    clear();
    try {
      const r = await revokeOthers();
      setNotice(r.revoked === 1 ? "1 other session was signed out." : `${r.revoked} other sessions were signed out.`);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div class="page">
      <PageHeader title="Passkeys & Sessions" menu={HREF} />
      <Show when={notice()}>
        <SuccessNotice>{notice()}</SuccessNotice>
      </Show>
      <Show when={error() ?? (nameError() ? undefined : adding.error())}>
        {(err) => <ErrorNotice error={err()} />}
      </Show>

      <section class="section" aria-labelledby="passkeys-title">
        <h2 id="passkeys-title">Passkeys</h2>
        <p class="muted">A passkey signs you in with your device's fingerprint, face or screen lock, without a password or code.</p>
        <DataTable
          id="passkeys"
          caption="Passkeys"
          data={passkeys}
          empty="You have no passkeys yet."
          rowActionsClass="nowrap"
          rowActions={(p) => (
            <>
              <button type="button" class="btn btn-small" onClick={() => { clear(); setRenaming(p.id); queueMicrotask(() => document.getElementById(`rename-${p.id}`)?.focus()); }}>
                Rename<span class="sr-only"> {p.name}</span>
              </button>{" "}
              <button type="button" class="btn btn-small" onClick={() => { clear(); setToDelete(p); }}>
                Delete<span class="sr-only"> {p.name}</span>
              </button>
            </>
          )}
          columns={[
            {
              header: "Name",
              rowHeader: true,
              cell: (p) => (
                <Show when={renaming() === p.id} fallback={p.name}>
                  <form class="filter-actions" novalidate onSubmit={(e) => void saveName(p, e)}>
                    <label class="sr-only" for={`rename-${p.id}`}>New name for {p.name}</label>
                    <input id={`rename-${p.id}`} name="name" type="text" value={p.name} maxLength={64} />
                    <button type="submit" class="btn btn-small">Save</button>
                    <button type="button" class="btn btn-small" onClick={() => setRenaming(undefined)}>Cancel</button>
                  </form>
                </Show>
              ),
            },
            { header: "Created", class: "nowrap", cell: (p) => formatDateTime(p.createdAt) },
            { header: "Last used", class: "nowrap", cell: (p) => (p.lastUsedAt ? formatDateTime(p.lastUsedAt) : "Never") },
          ]}
        />
        <form novalidate onSubmit={add}>
          <div class="field">
            <label for="passkey-name">Passkey name</label>
            <input id="passkey-name" name="name" type="text" maxLength={64} placeholder="e.g. Work laptop" aria-invalid={nameError() ? true : undefined} aria-describedby={errorIdFor("passkey-name", nameError())} />
            <FieldError for="passkey-name" message={nameError()} alert />
          </div>
          <p>
            <SubmitButton pending={adding.pending()}>Add a passkey</SubmitButton>
          </p>
        </form>
      </section>

      <section class="section" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Active sessions</h2>
        <DataTable
          id="sessions"
          caption="Active sessions"
          data={sessions}
          loading="Loading sessions…"
          empty="No active sessions."
          rowActions={(s) => (
            <Show when={!s.current}>
              <button type="button" class="btn btn-small" onClick={() => void signOut(s)}>
                Sign out<span class="sr-only"> {describeAgent(s.userAgent)}</span>
              </button>
            </Show>
          )}
          columns={[
            { header: "Device", rowHeader: true, cell: (s) => <>{describeAgent(s.userAgent)}<Show when={s.current}> (this session)</Show></> },
            { header: "IP address", cell: (s) => s.ip ?? "—" },
            { header: "Signed in", class: "nowrap", cell: (s) => formatDateTime(s.createdAt) },
            { header: "Last active", class: "nowrap", cell: (s) => formatDateTime(s.lastSeenAt) },
          ]}
          footer={(list) => (
            <p>
              <button type="button" class="btn" disabled={list.filter((s) => !s.current).length === 0} onClick={() => void signOutOthers()}>
                Sign out of all other sessions
              </button>
            </p>
          )}
        />
      </section>
      <ConfirmDialog
        open={!!toDelete()}
        title="Delete this passkey?"
        confirmLabel="Delete passkey"
        onCancel={() => setToDelete(undefined)}
        onConfirm={() => {
          const p = toDelete();
          if (p) void remove(p);
        }}
      >
        <p>You will no longer be able to sign in with "{toDelete()?.name}".</p>
      </ConfirmDialog>
      {stepUp.dialog}
    </div>
  );
}
