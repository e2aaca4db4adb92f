import { ErrorBoundary, Show, Suspense, createEffect, on, type Accessor, type JSX } from "solid-js";
import { revalidate } from "@solidjs/router";
import { isApiError } from "../api/client";
import { ErrorNotice, Loading } from "./Notices";
import { StatusPage } from "./StatusPage";

/**
 * Loading, error and data states of one `createAsync` value. FORBIDDEN and NOT_FOUND become the 403/404 screens,
 * a 401 says where the user is going (the client is already redirecting), anything else is a readable error with
 * its reference and a retry. `resetKey` (e.g. the filters) clears a shown error when it changes.
 */
export function AsyncView<T>(props: {
  data: Accessor<T | undefined>;
  loading: string;
  resetKey?: Accessor<unknown>;
  /** The level of the 403/404 heading: "h1" when the page has no header of its own yet. */
  statusHeading?: "h1" | "h2";
  children: (value: Accessor<T>) => JSX.Element;
}) {
  return (
    <ErrorBoundary fallback={(err, reset) => <Fallback error={err} reset={reset} {...props} />}>
      <Suspense fallback={<Loading label={props.loading} />}>
        <Show when={props.data()}>{(value) => props.children(value)}</Show>
      </Suspense>
    </ErrorBoundary>
  );
}

/**
 * What a failed load shows in place of the content it was for: the 403/404 screens, the sign-in notice, or a
 * readable error with its reference and a retry. Also the fallback of each page's own error boundary (Shell).
 */
export function Fallback(props: { error: unknown; reset: () => void; resetKey?: Accessor<unknown>; statusHeading?: "h1" | "h2"; title?: string }) {
  if (props.resetKey) createEffect(on(props.resetKey, () => props.reset(), { defer: true }));
  const code = isApiError(props.error) ? props.error.code : undefined;
  if (code === "FORBIDDEN") return <StatusPage kind="forbidden" error={props.error} heading={props.statusHeading ?? "h2"} />;
  if (code === "NOT_FOUND") return <StatusPage kind="not-found" error={props.error} heading={props.statusHeading ?? "h2"} />;
  if (isApiError(props.error) && props.error.status === 401) return <Loading label="Your session has ended. Taking you to sign-in…" />;
  return (
    <ErrorNotice
      title={props.title ?? "This could not be loaded."}
      error={props.error}
      onRetry={() => void revalidate().then(() => props.reset())}
    />
  );
}
