import { ErrorBoundary, For, Match, Show, Suspense, Switch, createEffect, createMemo, createSignal, on, onMount, type Accessor, type JSX } from "solid-js";
import { createAsync, useAction, useLocation, useNavigate, useSubmission, useSubmissions, type RouteSectionProps } from "@solidjs/router";
import type { SessionDto } from "../../worker/contract/dto";
import { ROLE_LABELS } from "../../worker/contract/roles";
import { getSession, signOut } from "../api/auth";
import { fullName } from "../format";
import { visibleNav } from "../nav";
import { SessionContext } from "../session";
import { Fallback } from "./AsyncView";
import { ErrorNotice, Loading } from "./Notices";
import { Notifications } from "./Notifications";
import { getDunningStanding } from "../api/dunning";
import { dunningNotices, SUSPENDED_PATHS, SuspendedScreen } from "./Dunning";
import { useCardEnforcement } from "./CardRequired";
import { DevClockBar } from "./DevClock";

/**
 * The signed-in frame: header, menu and the page outlet. Signed-out visitors are sent to sign-in and back.
 * Lazy like the pages, so the sign-in screen does not download it; the router fetches it in parallel with the page.
 */
export default function Shell(props: RouteSectionProps) {
  const session = createAsync(() => getSession());
  return (
    <ErrorBoundary
      fallback={(err) => (
        <main class="auth-page" id="main">
          <div class="auth-card">
            <p class="brand brand-dark">Cumulus</p>
            <ErrorNotice title="Cumulus could not start." error={err} onRetry={() => location.reload()} />
          </div>
        </main>
      )}
    >
      <Suspense fallback={<div class="splash"><Loading label="Loading Cumulus…" /></div>}>
        <Switch>
          <Match when={session() === null}>
            <ToSignIn />
          </Match>
          <Match when={session()}>{(s) => <Layout session={s}>{props.children}</Layout>}</Match>
        </Switch>
      </Suspense>
    </ErrorBoundary>
  );
}

function ToSignIn() {
  const navigate = useNavigate();
  const location = useLocation();
  onMount(() => navigate(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true }));
  return null;
}

function Layout(props: { session: Accessor<SessionDto>; children?: JSX.Element }) {
  const location = useLocation();
  const [navOpen, setNavOpen] = createSignal(false);
  const groups = createMemo(() => visibleNav(props.session()));
  // Dunning standing of the user's own organization (the operator's is never dunned). Re-read on navigation.
  const standing = createAsync(() => (props.session().user.org.kind === "operator" ? Promise.resolve(undefined) : getDunningStanding().catch(() => undefined)));
  const payOnly = () => {
    const s = standing();
    return !!s && (s.suspended || s.state === "terminated") && !SUSPENDED_PATHS.some((p) => location.pathname === p || location.pathname.startsWith(`${p}/`));
  };
  useCardEnforcement(props.session);
  let menuButton!: HTMLButtonElement;

  createEffect(on(() => location.pathname, () => setNavOpen(false), { defer: true }));

  const current = (href: string): "page" | "true" | undefined => {
    if (location.pathname === href) return "page";
    return location.pathname.startsWith(`${href}/`) ? "true" : undefined;
  };

  function skipToMain(e: MouseEvent) {
    e.preventDefault();
    document.getElementById("main")?.focus();
  }

  function closeNavOnEscape(e: KeyboardEvent) {
    if (e.key === "Escape" && navOpen()) {
      setNavOpen(false);
      menuButton.focus();
    }
  }

  return (
    <SessionContext.Provider value={props.session}>
      {/* Escape closes the phone menu from anywhere in the frame: focus may be on the Menu button or in the menu. */}
      <div class="app" onKeyDown={closeNavOnEscape}>
        <a class="skip-link" href="#main" onClick={skipToMain}>
          Skip to main content
        </a>
        <header class="app-header">
          <div class="header-bar">
            <button
              ref={menuButton}
              type="button"
              class="menu-button"
              aria-expanded={navOpen()}
              aria-controls="app-nav"
              onClick={() => setNavOpen(!navOpen())}
            >
              <span class="menu-icon" aria-hidden="true" />
              Menu
            </button>
            <a href="/" class="brand">
              Cumulus
            </a>
            <UserMenu session={props.session} />
          </div>
          <Notifications items={dunningNotices(standing())} />
          <DevClockBar admin={props.session().user.role === "cloud_admin"} />
        </header>
        <div class="app-body" classList={{ "nav-open": navOpen() }}>
          <nav id="app-nav" class="app-nav" aria-label="Main">
            <For each={groups()}>
              {(group) => (
                <div class="nav-group">
                  <h2 class="nav-group-title">{group.label}</h2>
                  <For each={group.subgroups}>
                    {(sub) => (
                      <>
                        <Show when={sub.label}>
                          <h3 class="nav-subgroup-title">{sub.label}</h3>
                        </Show>
                        <ul>
                          <For each={sub.items}>
                            {(item) => (
                              <li>
                                <a href={item.href} rel={item.rel} aria-current={current(item.href)}>
                                  {item.label}
                                </a>
                              </li>
                            )}
                          </For>
                        </ul>
                      </>
                    )}
                  </For>
                </div>
              )}
            </For>
          </nav>
          <main id="main" class="app-main" tabindex="-1">
            {/* Each page has its own error boundary: one failed request shows its error here, in the page area,
                never the app-level "could not start" screen; moving to another page clears it. */}
            <ErrorBoundary fallback={(err, reset) => (
                <div class="page">
                  <Fallback error={err} reset={reset} resetKey={() => location.pathname} statusHeading="h1" title="This page could not be shown." />
                </div>
              )}>
              <Suspense fallback={<Loading label="Loading…" />}>
                {/* Account Suspension: the portal is replaced by a single prompt leading to payment. */}
                <Show when={payOnly()} fallback={props.children}>
                  <div class="page">
                    <SuspendedScreen standing={standing()!} />
                  </div>
                </Show>
              </Suspense>
            </ErrorBoundary>
          </main>
        </div>
      </div>
    </SessionContext.Provider>
  );
}

function UserMenu(props: { session: Accessor<SessionDto> }) {
  const [open, setOpen] = createSignal(false);
  const runSignOut = useAction(signOut);
  const submission = useSubmission(signOut);
  // A failed sign-out from an earlier session is not this session's news.
  const earlier = useSubmissions(signOut);
  onMount(() => [...earlier].forEach((s) => s.clear()));
  const user = () => props.session().user;
  const initials = () => `${user().firstName.charAt(0)}${user().lastName.charAt(0)}`.toUpperCase();
  let container!: HTMLDivElement;
  let button!: HTMLButtonElement;

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape" && open()) {
      e.stopPropagation();
      setOpen(false);
      button.focus();
    }
  }

  function onFocusOut(e: FocusEvent) {
    if (!container.contains(e.relatedTarget as Node | null)) setOpen(false);
  }

  return (
    <div class="user-menu" ref={container} onKeyDown={onKeyDown} onFocusOut={onFocusOut}>
      <button ref={button} type="button" class="user-button" aria-expanded={open()} aria-controls="user-panel" onClick={() => setOpen(!open())}>
        <span class="avatar" aria-hidden="true">
          {initials()}
        </span>
        <span class="user-summary">
          <span class="sr-only">Signed in as </span>
          <span class="user-name">{fullName(user())}</span>
          <span class="user-role">
            {ROLE_LABELS[user().role]} · {user().org.name}
          </span>
        </span>
      </button>
      <div id="user-panel" class="user-panel" hidden={!open()}>
        <p class="user-panel-name">{fullName(user())}</p>
        <p class="muted">{user().email}</p>
        <dl class="user-facts">
          <dt>Role</dt>
          <dd>{ROLE_LABELS[user().role]}</dd>
          <dt>Organization</dt>
          <dd>{user().org.name}</dd>
        </dl>
        <Show when={submission.error}>
          <ErrorNotice error={submission.error} title="Sign-out failed." />
        </Show>
        <button
          type="button"
          class="btn btn-block"
          aria-disabled={submission.pending === true}
          onClick={() => !submission.pending && runSignOut().catch(() => undefined)}
        >
          Sign out
        </button>
      </div>
    </div>
  );
}
