/** "Download receipt" for one succeeded payment: a plain GET, so the browser saves the PDF with the session cookie. */
import { client, enc, href } from "../api/client";

export const receiptUrl = (paymentId: string) => href(client.api.payments[":id"]["receipt.pdf"].$url({ param: { id: enc(paymentId) } }));

export function ReceiptLink(props: { paymentId: string; label?: string }) {
  return <a href={receiptUrl(props.paymentId)} download="">{props.label ?? "Download receipt"}</a>;
}
