import type { JSX } from "solid-js";
import { statusTone, titleCase } from "../format";

export function Badge(props: { tone?: "good" | "bad" | "warn" | "neutral" | "accent"; children: JSX.Element }) {
  return <span class={`badge badge-${props.tone ?? "neutral"}`}>{props.children}</span>;
}

/** A status value ("active", "trial", …) as a coloured badge with its text, never colour alone. */
export function StatusBadge(props: { status: string }) {
  return <Badge tone={statusTone(props.status)}>{titleCase(props.status)}</Badge>;
}
