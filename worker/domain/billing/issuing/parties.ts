/**
 * The seller and buyer frozen on an invoice (docs/decisions/013-invoice-documents.md). The snapshots are taken
 * by SQL inside the issuing batch (no extra round trip for the billing run): the operator's Invoice Details
 * (or, until those are saved, the operator organization), and the billed organization with its primary contact.
 */
import { PartySchema, SellerSchema, type Party, type Seller } from "../../../contract/invoice-details";

const partyFields = (o: string) =>
  `'line1', ${o}.address_line1, 'line2', ${o}.address_line2, 'postalCode', ${o}.postal_code, 'city', ${o}.city, 'region', ${o}.region, 'country', ${o}.country, 'taxId', ${o}.tax_id`;

/** One SQL expression; no parameters. */
export const SELLER_SNAPSHOT_SQL = `COALESCE(
  (SELECT json_object('name', d.legal_name, ${partyFields("d")}, 'registrationNumber', d.registration_number, 'bankName', d.bank_name, 'iban', d.iban,
     'bic', d.bic, 'accountNumber', d.account_number, 'routingNumber', d.routing_number, 'footer', d.footer) FROM invoice_details d WHERE d.id = 1),
  (SELECT json_object('name', COALESCE(o.legal_name, o.name), ${partyFields("o")}, 'registrationNumber', NULL, 'email', o.email, 'phone', o.phone, 'bankName', NULL,
     'iban', NULL, 'bic', NULL, 'accountNumber', NULL, 'routingNumber', NULL, 'footer', NULL) FROM organizations o WHERE o.kind = 'operator' LIMIT 1))`;

/** One SQL expression: the billed organization named by the SQL expression `orgId` (no parameters of its own). */
export const buyerSnapshotSql = (orgId: string) => `(SELECT json_object('name', COALESCE(o.legal_name, o.name), ${partyFields("o")}, 'email', o.email, 'phone', o.phone,
  'attn', (SELECT u.first_name || ' ' || u.last_name || ' <' || u.email || '>' FROM users u WHERE u.id = o.primary_user_id))
  FROM organizations o WHERE o.id = ${orgId})`;

export function parseSeller(json: string | null): Seller | null {
  if (!json) return null;
  const r = SellerSchema.safeParse(JSON.parse(json));
  return r.success ? r.data : null;
}

export function parseParty(json: string | null): Party | null {
  if (!json) return null;
  const r = PartySchema.safeParse(JSON.parse(json));
  return r.success ? r.data : null;
}
