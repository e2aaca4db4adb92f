import { createMemo } from "solid-js";
import { encode } from "uqr";

/**
 * A QR code drawn by the portal itself (SVG, no external service: the otpauth:// URI carries the MFA secret and
 * must never leave the page). One path of unit squares; a 4-module quiet zone as the QR spec asks.
 */
export function QrCode(props: { value: string; label: string; size?: number }) {
  const qr = createMemo(() => encode(props.value, { ecc: "M", border: 4 }));
  const path = createMemo(() => {
    const { data } = qr();
    let d = "";
    data.forEach((row, y) => row.forEach((on, x) => (on ? (d += `M${x} ${y}h1v1h-1z`) : undefined)));
    return d;
  });
  return (
    <svg
      class="qr-code"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${qr().size} ${qr().size}`}
      width={props.size ?? 200}
      height={props.size ?? 200}
      shape-rendering="crispEdges"
    >
      <rect width="100%" height="100%" fill="#fff" />
      <path d={path()} fill="#000" />
    </svg>
  );
}
