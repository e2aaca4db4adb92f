import { onMount } from "solid-js";
import { Reference } from "./Notices";
import { focusIfNavigated } from "./PageHeader";

const TEXT = {
  "not-found": {
    title: "Page not found",
    body: "The page you asked for does not exist, or it belongs to an organization you cannot see. Check the address, or go back to the dashboard.",
  },
  forbidden: {
    title: "Access denied",
    body: "Your role does not include the privilege this page needs. If you need access, ask your Cloud-Admin.",
  },
} as const;

/**
 * The 404 and 403 screens, for unknown routes and when the API answers NOT_FOUND or FORBIDDEN. As a whole page it
 * has the page's h1; inside a page that already has a header it uses an h2.
 */
export function StatusPage(props: { kind: keyof typeof TEXT; error?: unknown; heading?: "h1" | "h2" }) {
  const text = TEXT[props.kind];
  let h1: HTMLHeadingElement | undefined;
  onMount(() => {
    if (!h1) return;
    document.title = `${text.title} · Cumulus`;
    focusIfNavigated(h1);
  });
  return (
    <section class="status-page">
      <p class="status-code" aria-hidden="true">
        {props.kind === "forbidden" ? "403" : "404"}
      </p>
      {props.heading === "h2" ? (
        <h2>{text.title}</h2>
      ) : (
        <h1 ref={h1} tabindex="-1">
          {text.title}
        </h1>
      )}
      <p>{text.body}</p>
      <p>
        <a href="/">Go to the dashboard</a>
      </p>
      <Reference error={props.error} />
    </section>
  );
}
