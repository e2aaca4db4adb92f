/**
 * The portal's icons, drawn as inline SVG: they never depend on an emoji or symbol font being installed (Debian's
 * Chromium without an emoji font showed "🗑" as an empty box). Decorative: the control that holds an icon carries
 * the accessible name (`aria-label` or visible text), so every icon is `aria-hidden`.
 */
import type { JSX } from "solid-js";

const PATHS = {
  edit: "M4 20h4L18.5 9.5a2.1 2.1 0 0 0-4-4L4 16v4zM13.5 6.5l4 4",
  delete: "M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3",
  "chevron-down": "M6 9l6 6 6-6",
  close: "M6 6l12 12M18 6L6 18",
  lock: "M7 11V8a5 5 0 0 1 10 0v3M5 11h14v10H5z",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon(props: { name: IconName; class?: string }): JSX.Element {
  return (
    <svg class={`icon ${props.class ?? ""}`.trim()} viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d={PATHS[props.name]} />
    </svg>
  );
}
