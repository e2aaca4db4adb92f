import { For, Show, createSignal, type Accessor } from "solid-js";
import { createAsync, useAction, useParams, useSubmission } from "@solidjs/router";
import type { StaffMember } from "../../../worker/contract/dto";
import { PRIVILEGES, PRIVILEGE_LABELS, ROLE_LABELS, type Privilege } from "../../../worker/contract/roles";
import { isApiError } from "../../api/client";
import { getStaff, updateStaffPrivileges } from "../../api/staff";
import { AsyncView } from "../../components/AsyncView";
import { StatusBadge } from "../../components/Badge";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { FooterBar, SubmitButton } from "../../components/FooterBar";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { StatusPage } from "../../components/StatusPage";
import { formatDateTime, fullName } from "../../format";
import { menuPath } from "../../nav";
import { useSession } from "../../session";

/** Edit one staff member's privileges: a checkbox per privilege, Save in the footer. */
export default function StaffEdit() {
  const params = useParams();
  const staff = createAsync(() => getStaff());
  return (
    <div class="page">
      <AsyncView data={staff} loading="Loading staff member…" statusHeading="h1">
        {(members) => (
          <Show when={members().find((m) => m.id === params.id)} fallback={<StatusPage kind="not-found" heading="h1" />}>
            {(member) => <Editor member={member} />}
          </Show>
        )}
      </AsyncView>
    </div>
  );
}

function Editor(props: { member: Accessor<StaffMember> }) {
  const session = useSession();
  const member = props.member;
  const run = useAction(updateStaffPrivileges);
  const submission = useSubmission(updateStaffPrivileges);
  const [selected, setSelected] = createSignal(new Set<Privilege>(member().privileges));
  const [saved, setSaved] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const fieldError = () => {
    const err = error();
    return isApiError(err) ? err.fields?.privileges : undefined;
  };
  const readOnly = () => member().role === "cloud_admin";

  function toggle(privilege: Privilege, on: boolean) {
    const next = new Set(selected());
    if (on) next.add(privilege);
    else next.delete(privilege);
    setSelected(next);
    setSaved(false);
  }

  async function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    if (submission.pending) return;
    setSaved(false);
    setError(undefined);
    try {
      const updated = await run(member().id, PRIVILEGES.filter((p) => selected().has(p)));
      setSelected(new Set<Privilege>(updated.privileges));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <>
      <PageHeader title={fullName(member())} trail={[...menuPath(session(), "/staff"), { label: fullName(member()) }]} />
      <dl class="details">
        <div>
          <dt>Email</dt>
          <dd>{member().email}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{ROLE_LABELS[member().role]}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={member().status} />
          </dd>
        </div>
        <div>
          <dt>Last sign-in</dt>
          <dd>{member().lastLoginAt ? formatDateTime(member().lastLoginAt) : "Never"}</dd>
        </div>
      </dl>

      <Show
        when={!readOnly()}
        fallback={
          <section class="section" aria-labelledby="privileges-title">
            <h2 id="privileges-title">Privileges</h2>
            <p>
              <strong>All privileges.</strong> The Cloud-Admin holds every privilege; they cannot be changed.
            </p>
          </section>
        }
      >
        <section class="section">
          <Show when={saved()}>
            <SuccessNotice>Privileges saved.</SuccessNotice>
          </Show>
          <Show when={error() && !fieldError()}>
            <ErrorNotice error={error()} title="The privileges were not saved." />
          </Show>
          <form id="privileges-form" novalidate onSubmit={onSubmit}>
            <fieldset
              class="fieldset"
              aria-describedby={errorIdFor("privileges", fieldError())}
            >
              <legend>Privileges</legend>
              <For each={PRIVILEGES}>
                {(privilege) => (
                  <div class="check">
                    <input
                      id={`privilege-${privilege}`}
                      type="checkbox"
                      name="privileges"
                      value={privilege}
                      checked={selected().has(privilege)}
                      onChange={(e) => toggle(privilege, e.currentTarget.checked)}
                    />
                    <label for={`privilege-${privilege}`}>{PRIVILEGE_LABELS[privilege]}</label>
                  </div>
                )}
              </For>
              <FieldError for="privileges" message={fieldError()} alert />
            </fieldset>
          </form>
        </section>
        <FooterBar>
          <a href="/staff" class="btn">
            Cancel
          </a>
          <SubmitButton form="privileges-form" pending={submission.pending === true}>Save</SubmitButton>
        </FooterBar>
      </Show>
    </>
  );
}
