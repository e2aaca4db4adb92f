import { For, Show, createMemo } from "solid-js";
import { ROLE_LABELS } from "../../../worker/contract/roles";
import { PageHeader } from "../../components/PageHeader";
import { formatDateTime } from "../../format";
import { visibleNav } from "../../nav";
import { useSession } from "../../session";

function greeting(now: Date): string {
  const hour = now.getHours();
  if (hour < 12) return "Good morning";
  return hour < 18 ? "Good afternoon" : "Good evening";
}

/** The dashboard: who is signed in, and a quick link to every screen their role can use. */
export default function Home() {
  const session = useSession();
  const user = () => session().user;
  const links = createMemo(() =>
    visibleNav(session()).flatMap((group) =>
      group.subgroups.flatMap((sub) =>
        sub.items.map((item) => ({ ...item, path: [group.label, sub.label].filter(Boolean).join(" » ") })),
      ),
    ),
  );

  return (
    <div class="page">
      <PageHeader title={`${greeting(new Date())}, ${user().firstName}`} trail={[]} />
      <p class="lead">
        You are signed in as <strong>{ROLE_LABELS[user().role]}</strong> of <strong>{user().org.name}</strong>.
      </p>
      <p class="muted">Your session ends at the latest on {formatDateTime(session().expiresAt)}.</p>
      <section class="section" aria-labelledby="quick-links-title">
        <h2 id="quick-links-title">Quick links</h2>
        <Show when={links().length > 0} fallback={<p>No screens are available to your role yet. Your administrator can grant access.</p>}>
          <ul class="card-grid">
            <For each={links()}>
              {(link) => (
                <li class="card">
                  <p class="card-path">{link.path}</p>
                  <h3>
                    <a href={link.href} rel={link.rel} class="card-link">
                      {link.label}
                    </a>
                  </h3>
                  <p>{link.description}</p>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
    </div>
  );
}
