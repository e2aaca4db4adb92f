import { For, Show, createSignal } from "solid-js";
import { createAsync, revalidate, useAction } from "@solidjs/router";
import type { LoginSession, Passkey } from "../../../worker/contract/account";
import { deletePasskey, getMfaStatus, getPasskeys, getSessions, registerPasskey, renamePasskey, revokeOtherSessions, revokeSession } from "../../api/account";
import { isApiError } from "../../api/client";
import { AsyncView } from "../../components/AsyncView";
import { ConfirmDialog } from "../../components/Dialog";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { SubmitButton } from "../../components/FooterBar";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { createStepUp } from "../../components/StepUp";
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
  const [nameError, setNameError] = createSignal<string>();
  const [adding, setAdding] = createSignal(false);
  const [renaming, setRenaming] = createSignal<string>();
  const [toDelete, setToDelete] = createSignal<Passkey>();
  const [deleting, setDeleting] = createSignal(false);
  const register = useAction(registerPasskey);
  const rename = useAction(renamePasskey);
  const revokeOne = useAction(revokeSession);
  const revokeOthers = useAction(revokeOtherSessions);

  function clear() {
    setNotice(undefined);
    setError(undefined);
  }

  async function add(e: SubmitEvent) {
    e.preventDefault();
    if (adding()) return;
    clear();
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem("name") as HTMLInputElement;
    const name = input.value.trim();
    setNameError(undefined);
    if (!name) {
      setNameError("Give the passkey a name, e.g. \"Work laptop\".");
      input.focus();
      return;
    }
    setAdding(true);
    try {
      const created = await register(name);
      input.value = "";
      setNotice(`Passkey "${created.name}" added. You can now sign in with it.`);
    } catch (err) {
      if (isApiError(err) && err.fields?.name) {
        setNameError(err.fields.name);
        input.focus();
      } else if (err instanceof Error && err.name === "NotAllowedError") {
        setError(new Error("The passkey request was cancelled or timed out."));
      } else setError(err);
    } finally {
      setAdding(false);
    }
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
    setDeleting(true);
    try {
      const done = await stepUp.guard(async () => {
        await deletePasskey(p.id);
        return true;
      });
      if (done) {
        setNotice(`Passkey "${p.name}" deleted.`);
        void revalidate([getPasskeys.key, getMfaStatus.key]);
      }
    } catch (err) {
      setError(err);
    } finally {
      setDeleting(false);
      setToDelete(undefined);
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
      <Show when={error()}>
        <ErrorNotice error={error()} />
      </Show>

      <section class="section" aria-labelledby="passkeys-title">
        <h2 id="passkeys-title">Passkeys</h2>
        <p class="muted">A passkey signs you in with your device's fingerprint, face or screen lock, without a password or code.</p>
        <AsyncView data={passkeys} loading="Loading passkeys…">
          {(list) => (
            <Show when={list().length > 0} fallback={<p class="empty-state">You have no passkeys yet.</p>}>
              <div class="table-wrap" role="region" aria-labelledby="passkeys-title" tabindex="0">
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Created</th>
                      <th scope="col">Last used</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(p) => (
                        <tr>
                          <th scope="row">
                            <Show when={renaming() === p.id} fallback={p.name}>
                              <form class="filter-actions" novalidate onSubmit={(e) => void saveName(p, e)}>
                                <label class="sr-only" for={`rename-${p.id}`}>New name for {p.name}</label>
                                <input id={`rename-${p.id}`} name="name" type="text" value={p.name} maxLength={64} />
                                <button type="submit" class="btn btn-small">Save</button>
                                <button type="button" class="btn btn-small" onClick={() => setRenaming(undefined)}>Cancel</button>
                              </form>
                            </Show>
                          </th>
                          <td class="nowrap">{formatDateTime(p.createdAt)}</td>
                          <td class="nowrap">{p.lastUsedAt ? formatDateTime(p.lastUsedAt) : "Never"}</td>
                          <td class="nowrap">
                            <button type="button" class="btn btn-small" onClick={() => { clear(); setRenaming(p.id); queueMicrotask(() => document.getElementById(`rename-${p.id}`)?.focus()); }}>
                              Rename<span class="sr-only"> {p.name}</span>
                            </button>{" "}
                            <button type="button" class="btn btn-small" onClick={() => { clear(); setToDelete(p); }}>
                              Delete<span class="sr-only"> {p.name}</span>
                            </button>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          )}
        </AsyncView>
        <form novalidate onSubmit={add}>
          <div class="field">
            <label for="passkey-name">Passkey name</label>
            <input id="passkey-name" name="name" type="text" maxLength={64} placeholder="e.g. Work laptop" aria-invalid={nameError() ? true : undefined} aria-describedby={errorIdFor("passkey-name", nameError())} />
            <FieldError for="passkey-name" message={nameError()} alert />
          </div>
          <p>
            <SubmitButton pending={adding()}>Add a passkey</SubmitButton>
          </p>
        </form>
      </section>

      <section class="section" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Active sessions</h2>
        <AsyncView data={sessions} loading="Loading sessions…">
          {(list) => (
            <>
              <div class="table-wrap" role="region" aria-labelledby="sessions-title" tabindex="0">
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col">Device</th>
                      <th scope="col">IP address</th>
                      <th scope="col">Signed in</th>
                      <th scope="col">Last active</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(s) => (
                        <tr>
                          <th scope="row">
                            {describeAgent(s.userAgent)}
                            <Show when={s.current}> (this session)</Show>
                          </th>
                          <td>{s.ip ?? "—"}</td>
                          <td class="nowrap">{formatDateTime(s.createdAt)}</td>
                          <td class="nowrap">{formatDateTime(s.lastSeenAt)}</td>
                          <td>
                            <Show when={!s.current}>
                              <button type="button" class="btn btn-small" onClick={() => void signOut(s)}>
                                Sign out<span class="sr-only"> {describeAgent(s.userAgent)}</span>
                              </button>
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <p>
                <button type="button" class="btn" disabled={list().filter((s) => !s.current).length === 0} onClick={() => void signOutOthers()}>
                  Sign out of all other sessions
                </button>
              </p>
            </>
          )}
        </AsyncView>
      </section>
      <ConfirmDialog
        open={!!toDelete() && !deleting()}
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
