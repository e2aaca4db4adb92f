/**
 * Posting to the double-entry ledger. Every money movement is ONE transaction whose entries balance
 * (Σ amount = 0; debit positive, credit negative), written in the same D1 batch as the business change.
 * The transaction's idempotency key is unique: posting the same business event twice is a no-op, and the
 * entries are inserted only if their transaction row was (EXISTS on the id generated here).
 *
 * Accounts (per organization, in the billing currency):
 *   receivable   what the organization owes on issued invoices
 *   revenue      earned from invoices (net of tax)        tax_payable  tax collected for the authorities
 *   cash         money received (offline, card, top-ups)  promotions   free credit given away
 *   wallet_paid  prepaid balance the organization bought  wallet_free  free credit the organization holds
 */
import { rawStatement, type RawStatement } from "../../db/atomic";
import { jsonColumns, jsonRowsStatements } from "../../db/bulk";
import { newId } from "../../db/ids";
import type { LEDGER_ACCOUNTS, ledgerTransactions } from "../../db/schema";
import type { DomainContext } from "../context";

export type LedgerAccount = (typeof LEDGER_ACCOUNTS)[number];
type Txn = typeof ledgerTransactions.$inferInsert;

export interface Posting {
  orgId: string;
  kind: Txn["kind"];
  direction: NonNullable<Txn["direction"]>;
  /** The amount people see in "Transaction Logs" (positive, minor units). */
  amountMinor: number;
  currency: string;
  status?: "pending" | "completed";
  invoiceId?: string | null;
  gateway?: string | null;
  reference?: string | null;
  description?: string | null;
  idempotencyKey: string;
  /**
   * Optional SQL condition (with its parameters) the transaction is posted under, checked in the same batch,
   * e.g. "the grant still has this remaining amount". When false nothing is posted (entries follow the row).
   */
  guard?: { sql: string; params: unknown[] };
  entries: Array<{ account: LedgerAccount; amountMinor: number }>;
}

export class UnbalancedPostingError extends Error {}

function checkBalanced(posting: Posting) {
  const sum = posting.entries.reduce((a, e) => a + e.amountMinor, 0);
  if (sum !== 0 || posting.entries.length < 2) throw new UnbalancedPostingError(`Unbalanced ledger posting ${posting.kind}: Σ = ${sum}`);
  for (const e of posting.entries) if (!Number.isSafeInteger(e.amountMinor)) throw new RangeError("ledger amount out of range");
}

const TXN_COLUMNS = "id, org_id, kind, direction, amount_minor, currency, status, invoice_id, gateway, reference, description, actor_user_id, idempotency_key, created_at";
const ENTRY_COLUMNS = "id, transaction_id, org_id, account, amount_minor, currency, created_at";

/** The transaction row and its entry rows, in the column order of TXN_COLUMNS / ENTRY_COLUMNS. */
function postingRows(ctx: Pick<DomainContext, "clock" | "principal">, posting: Posting, now: number) {
  checkBalanced(posting);
  const id = newId("ledgerTransaction", now);
  const txn = [id, posting.orgId, posting.kind, posting.direction, posting.amountMinor, posting.currency, posting.status ?? "completed", posting.invoiceId ?? null,
    posting.gateway ?? null, posting.reference ?? null, posting.description ?? null, ctx.principal?.userId ?? null, posting.idempotencyKey, now];
  const entries = posting.entries
    .filter((e) => e.amountMinor !== 0)
    .map((e) => [newId("ledgerEntry", now), id, posting.orgId, e.account, e.amountMinor, posting.currency, now]);
  return { id, txn, entries };
}

export function postingStatements(ctx: Pick<DomainContext, "clock" | "principal">, posting: Posting): { transactionId: string; statements: RawStatement[] } {
  const { id, txn, entries } = postingRows(ctx, posting, ctx.clock.now());
  const statements = [
    rawStatement(
      `INSERT INTO ledger_transactions (${TXN_COLUMNS})
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${posting.guard ? `(${posting.guard.sql})` : "1"} ON CONFLICT (idempotency_key) DO NOTHING`,
      [...txn, ...(posting.guard?.params ?? [])],
    ),
    ...entries.map((e) =>
      rawStatement(`INSERT INTO ledger_entries (${ENTRY_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM ledger_transactions WHERE id = ?)`, [...e, id]),
    ),
  ];
  return { transactionId: id, statements };
}

/**
 * Many postings as a few set-based statements (db/bulk.ts), same rules as `postingStatements`: a transaction
 * whose idempotency key exists is skipped and its entries with it. Guards are per posting, so not here.
 * Postings alike in everything but organization, amount, invoice and key (a billing page: every one) share a
 * statement whose common columns are bound once, so each row carries only what differs.
 */
export function bulkPostingStatements(ctx: Pick<DomainContext, "clock" | "principal">, postings: Posting[]): RawStatement[] {
  const now = ctx.clock.now();
  const actor = ctx.principal?.userId ?? null;
  const groups = new Map<string, { common: unknown[]; txns: unknown[][] }>();
  const entries = new Map<string, unknown[][]>();
  for (const p of postings) {
    if (p.guard) throw new Error("bulkPostingStatements: guarded postings go through postingStatements");
    checkBalanced(p);
    const common = [p.kind, p.direction, p.currency, p.status ?? "completed", p.gateway ?? null, p.reference ?? null, p.description ?? null];
    const sig = JSON.stringify(common);
    let g = groups.get(sig);
    if (!g) groups.set(sig, (g = { common, txns: [] }));
    const id = newId("ledgerTransaction", now);
    g.txns.push([id, p.orgId, p.amountMinor, p.invoiceId ?? null, p.idempotencyKey]);
    const list = entries.get(p.currency) ?? [];
    for (const e of p.entries) if (e.amountMinor !== 0) list.push([newId("ledgerEntry", now), id, p.orgId, e.account, e.amountMinor]);
    entries.set(p.currency, list);
  }
  return [
    ...[...groups.values()].flatMap((g) =>
      jsonRowsStatements(
        `INSERT INTO ledger_transactions (id, org_id, amount_minor, invoice_id, idempotency_key, kind, direction, currency, status, gateway, reference, description, actor_user_id, created_at)
         SELECT ${jsonColumns(5)}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 FROM json_each(?1) j WHERE 1 ON CONFLICT (idempotency_key) DO NOTHING`,
        g.txns, [...g.common, actor, now],
      ),
    ),
    ...[...entries].flatMap(([currency, rows]) =>
      jsonRowsStatements(
        `INSERT INTO ledger_entries (id, transaction_id, org_id, account, amount_minor, currency, created_at)
         SELECT ${jsonColumns(5)}, ?2, ?3 FROM json_each(?1) j WHERE EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.id = j.value->>1)`,
        rows, [currency, now],
      ),
    ),
  ];
}

/**
 * Issuing an invoice: the organization owes the total; revenue and tax are recognised. (The invoice number is
 * allocated inside the issuing batch, so views join it through `invoice_id`.)
 */
export function invoiceIssuedPosting(inv: { id: string; orgId: string; currency: string; subtotalMinor: number; taxMinor: number; totalMinor: number }): Posting {
  return {
    orgId: inv.orgId, kind: "invoice_issued", direction: "none", amountMinor: inv.totalMinor, currency: inv.currency, invoiceId: inv.id,
    description: "Invoice issued", idempotencyKey: `invoice_issued:${inv.id}`,
    entries: [
      { account: "receivable", amountMinor: inv.totalMinor },
      { account: "revenue", amountMinor: -inv.subtotalMinor },
      { account: "tax_payable", amountMinor: -inv.taxMinor },
    ],
  };
}
