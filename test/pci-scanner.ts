/**
 * The PCI scan's detector (docs/decisions/016-payments.md: card numbers and CVVs are never stored or emitted).
 * A PAN is a Luhn-valid run of 13–19 digits that starts like a card (2–6: Mastercard 2-series, Amex/Diners/JCB,
 * Visa, Mastercard, Discover/UnionPay), also written with single spaces or dashes between digits; millisecond
 * timestamps (they start with 1) are therefore not PANs, nor digits inside a longer token of letters and digits. A CVV is one of the CVVs used, standing alone next to
 * a CVV-like key ("cvc", "cvv", "csc", "security code").
 */
// Bounded by anything but a letter or digit: a digit run inside a hex hash or base64 token is not a card number.
const RUN = /(?<![A-Za-z0-9])\d(?:[ -]?\d){12,}(?![A-Za-z0-9])/g;

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Every PAN-shaped number in `text` (any 13–19 digit window of a longer run counts too). */
export function findPans(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(RUN)) {
    const digits = m[0].replace(/[ -]/g, "");
    for (let len = 13; len <= 19; len++) {
      for (let at = 0; at + len <= digits.length; at++) {
        const w = digits.slice(at, at + len);
        if (/^[2-6]/.test(w) && luhn(w)) found.push(w);
      }
    }
  }
  return found;
}

/** The given CVVs standing alone within 24 characters after a CVV-like key. */
export function findCvvs(text: string, cvvs: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(cvc|cvv|cvn|csc|security[ _-]?code)[^0-9]{0,24}(\d{3,4})(?!\d)/gi)) if (cvvs.has(m[2]!)) found.push(m[0]);
  return found;
}

export interface Finding { where: string; what: string }

/** Scans named texts; each finding says where (e.g. "d1:audit_log") and what (the match). */
export function scan(sources: Iterable<[string, string]>, cvvs: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const [where, text] of sources) {
    for (const what of findPans(text)) out.push({ where, what });
    for (const what of findCvvs(text, cvvs)) out.push({ where, what });
  }
  return out;
}
