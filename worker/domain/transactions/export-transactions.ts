import { formatDecimal } from "../../contract/money";
import { KIND_LABELS } from "../../contract/wallet";
import { currency as currencyInfo } from "../../contract/currencies";
import { csvStream } from "../export/csv";
import type { ActorContext } from "../context";
import { TransactionFilterInput } from "./filters";
import { toTransaction, transactionsAfter } from "./list-transactions";

const PAGE = 500;

/**
 * "Export CSV": every transaction matching the filter (same tenancy and filters as the screen), newest first,
 * streamed page by page (keyset pagination), so 100,000 rows never sit in memory.
 */
export function exportTransactionsCsv(args: { ctx: ActorContext; input: unknown }): ReadableStream<Uint8Array> {
  const filter = TransactionFilterInput.parse(args.input);
  const { ctx } = args;
  type Row = Awaited<ReturnType<typeof transactionsAfter>>[number];
  return csvStream<Row>(
    ["Date (UTC)", "Transaction ID", "Organization", "Type", "Direction", "Amount", "Currency", "Status", "Invoice", "Reference", "Description", "By"],
    (after) => transactionsAfter(ctx, filter, after ? { createdAt: after.t.createdAt, id: after.t.id } : undefined, PAGE),
    (row) => {
      const t = toTransaction(ctx, row);
      const exponent = currencyInfo(t.currency).exponent;
      return [
        t.createdAt.replace("T", " ").slice(0, 19), t.id, t.org.name, KIND_LABELS[t.kind], t.direction,
        formatDecimal({ value: BigInt(t.amountMinor), scale: exponent }, exponent), t.currency, t.status,
        t.invoiceNumber ?? t.invoiceId, t.reference, t.description, t.actor,
      ];
    },
  );
}
