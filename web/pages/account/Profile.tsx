import { Show, createSignal, type Accessor } from "solid-js";
import { createAsync, useAction, useSubmission } from "@solidjs/router";
import type { Profile } from "../../../worker/contract/account";
import { getMfaStatus, getPasskeys, getProfile, saveProfile, type ProfileForm } from "../../api/account";
import { isApiError } from "../../api/client";
import { AsyncView } from "../../components/AsyncView";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { FooterBar, SubmitButton } from "../../components/FooterBar";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { PageHeader } from "../../components/PageHeader";
import { createStepUp } from "../../components/StepUp";
import { countryOptions } from "../../../worker/contract/countries";
import { DASH, countryName, formatDateTime } from "../../format";

const HREF = "/account/profile";

/** User Management & Services >> Account Settings >> Personal Profile: view mode, "Change" → edit, "Edit Profile" saves. */
export default function PersonalProfile() {
  const profile = createAsync(() => getProfile());
  return (
    <div class="page">
      <PageHeader title="Personal Profile" menu={HREF} />
      <AsyncView data={profile} loading="Loading your profile…">
        {(p) => <ProfileScreen profile={p} />}
      </AsyncView>
    </div>
  );
}

let zones: string[] | undefined;
function timeZones(): string[] {
  zones ??= (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? ["UTC"];
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

function ProfileScreen(props: { profile: Accessor<Profile> }) {
  const [editing, setEditing] = createSignal(false);
  const [saved, setSaved] = createSignal<string>();
  const [error, setError] = createSignal<unknown>();
  const run = useAction(saveProfile);
  const submission = useSubmission(saveProfile);
  const mfa = createAsync(() => getMfaStatus());
  const passkeys = createAsync(() => getPasskeys());
  const stepUp = createStepUp({ mfa: () => mfa()?.totpEnabled ?? false, passkeys: () => (passkeys()?.length ?? 0) > 0 });
  let notice: HTMLDivElement | undefined;
  const p = props.profile;
  const fields = () => {
    const err = error();
    return isApiError(err) && err.code === "VALIDATION_FAILED" ? (err.fields ?? {}) : {};
  };

  async function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    if (submission.pending) return;
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const form: ProfileForm = {
      firstName: String(data.get("firstName") ?? ""),
      lastName: String(data.get("lastName") ?? ""),
      email: String(data.get("email") ?? ""),
      phone: String(data.get("phone") ?? ""),
      country: String(data.get("country") ?? ""),
      city: String(data.get("city") ?? ""),
      timeZone: String(data.get("timeZone") ?? ""),
      jobTitle: String(data.get("jobTitle") ?? ""),
    };
    setError(undefined);
    setSaved(undefined);
    try {
      const result = await stepUp.guard(() => run(form));
      if (!result) return;
      setEditing(false);
      setSaved(
        result.emailConfirmationSent
          ? `Profile saved. We sent a confirmation link to ${form.email.trim().toLowerCase()}: your email address changes when you open it.`
          : "Profile saved.",
      );
      queueMicrotask(() => notice?.focus());
    } catch (err) {
      setError(err);
      const first = Object.keys(isApiError(err) ? (err.fields ?? {}) : {})[0];
      if (first) (e.currentTarget as HTMLFormElement | null)?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
    }
  }

  const input = (name: keyof ProfileForm, label: string, value: string | null, opts: { type?: string; autocomplete?: string; hint?: string } = {}) => (
    <div class="field">
      <label for={`profile-${name}`}>{label}</label>
      <input
        id={`profile-${name}`}
        name={name}
        type={opts.type ?? "text"}
        value={value ?? ""}
        autocomplete={opts.autocomplete}
        aria-invalid={fields()[name] ? true : undefined}
        aria-describedby={[opts.hint ? `profile-${name}-hint` : "", errorIdFor(`profile-${name}`, fields()[name]) ?? ""].join(" ").trim() || undefined}
      />
      <Show when={opts.hint}>
        <p id={`profile-${name}-hint`} class="muted">
          {opts.hint}
        </p>
      </Show>
      <FieldError for={`profile-${name}`} message={fields()[name]} />
    </div>
  );

  return (
    <>
      <Show when={saved()}>
        <SuccessNotice ref={(el) => (notice = el)}>{saved()}</SuccessNotice>
      </Show>
      <Show when={p().pendingEmail}>
        {(pending) => (
          <div class="notice" role="status">
            Waiting for confirmation of the new email address <strong>{pending().email}</strong> (link valid until {formatDateTime(pending().expiresAt)}).
          </div>
        )}
      </Show>
      <Show
        when={editing()}
        fallback={
          <section class="section" aria-labelledby="profile-view-title">
            <h2 id="profile-view-title">Your details</h2>
            <dl class="details">
              <div><dt>First name</dt><dd>{p().firstName}</dd></div>
              <div><dt>Last name</dt><dd>{p().lastName}</dd></div>
              <div><dt>Email</dt><dd>{p().email}</dd></div>
              <div><dt>Phone number</dt><dd>{p().phone ?? DASH}</dd></div>
              <div><dt>Country</dt><dd>{p().country ? countryName(p().country!) : DASH}</dd></div>
              <div><dt>City</dt><dd>{p().city ?? DASH}</dd></div>
              <div><dt>Time zone</dt><dd>{p().timeZone}</dd></div>
              <div><dt>Job title / other details</dt><dd>{p().jobTitle ?? DASH}</dd></div>
            </dl>
          </section>
        }
      >
        <section class="section section-edit" aria-labelledby="profile-edit-title">
          <h2 id="profile-edit-title">Edit your details</h2>
          <Show when={error() && Object.keys(fields()).length === 0}>
            <ErrorNotice error={error()} title="The profile was not saved." />
          </Show>
          <Show when={Object.keys(fields()).length > 0}>
            <div class="notice notice-error" role="alert">
              <p>The profile was not saved: check the highlighted fields.</p>
            </div>
          </Show>
          <form id="profile-form" novalidate onSubmit={onSubmit}>
            {input("firstName", "First name", p().firstName, { autocomplete: "given-name" })}
            {input("lastName", "Last name", p().lastName, { autocomplete: "family-name" })}
            {input("email", "Email", p().email, { type: "email", autocomplete: "email", hint: "A new address is used after you confirm the link we send to it." })}
            {input("phone", "Phone number", p().phone, { type: "tel", autocomplete: "tel", hint: "International format, e.g. +44 20 7946 0000." })}
            <div class="field">
              <label for="profile-country">Country</label>
              <select id="profile-country" name="country" aria-invalid={fields().country ? true : undefined} aria-describedby={errorIdFor("profile-country", fields().country)}>
                <option value="">Not set</option>
                {countryOptions().map((c) => (
                  <option value={c.code} selected={c.code === p().country}>
                    {c.name}
                  </option>
                ))}
              </select>
              <FieldError for="profile-country" message={fields().country} />
            </div>
            {input("city", "City", p().city, { autocomplete: "address-level2" })}
            <div class="field">
              <label for="profile-timeZone">Time zone</label>
              <select id="profile-timeZone" name="timeZone" aria-invalid={fields().timeZone ? true : undefined} aria-describedby={errorIdFor("profile-timeZone", fields().timeZone)}>
                {timeZones().map((tz) => (
                  <option value={tz} selected={tz === p().timeZone}>
                    {tz}
                  </option>
                ))}
              </select>
              <FieldError for="profile-timeZone" message={fields().timeZone} />
            </div>
            {input("jobTitle", "Job title / other details", p().jobTitle, { autocomplete: "organization-title" })}
          </form>
        </section>
      </Show>
      {stepUp.dialog}
      <FooterBar>
        <Show
          when={editing()}
          fallback={
            <button type="button" class="btn btn-primary" onClick={() => { setSaved(undefined); setError(undefined); setEditing(true); queueMicrotask(() => document.getElementById("profile-firstName")?.focus()); }}>
              Change
            </button>
          }
        >
          <button type="button" class="btn" onClick={() => { setError(undefined); setEditing(false); }}>
            Cancel
          </button>
          <SubmitButton form="profile-form" pending={submission.pending === true}>Edit Profile</SubmitButton>
        </Show>
      </FooterBar>
    </>
  );
}
