/**
 * Card rules of the local Stripe: brands from the number's BIN, Luhn, lengths, expiry and CVC checks with
 * Stripe's error codes, and Stripe's documented test card numbers with what each does (ADR 016a).
 * Pure data and functions (no Node APIs): the hosted card fields get BRANDS as JSON, tests import the table.
 */

export type Brand = "visa" | "mastercard" | "amex" | "discover" | "diners" | "jcb" | "unionpay" | "unknown";

interface BrandRule {
  brand: Exclude<Brand, "unknown">;
  /** Inclusive prefix ranges, compared on the first `from.length` digits. */
  ranges: Array<[from: string, to: string]>;
  lengths: number[];
  cvcLength: number;
  /** Where the hosted field puts spaces (lengths of the digit groups). */
  gaps: number[];
}

export const BRANDS: BrandRule[] = [
  { brand: "visa", ranges: [["4", "4"]], lengths: [13, 16, 19], cvcLength: 3, gaps: [4, 4, 4, 4, 3] },
  { brand: "mastercard", ranges: [["51", "55"], ["2221", "2720"]], lengths: [16], cvcLength: 3, gaps: [4, 4, 4, 4] },
  { brand: "amex", ranges: [["34", "34"], ["37", "37"]], lengths: [15], cvcLength: 4, gaps: [4, 6, 5] },
  { brand: "discover", ranges: [["6011", "6011"], ["644", "649"], ["65", "65"]], lengths: [16, 17, 18, 19], cvcLength: 3, gaps: [4, 4, 4, 4, 3] },
  { brand: "diners", ranges: [["300", "305"], ["3095", "3095"], ["36", "36"], ["38", "39"]], lengths: [14, 15, 16, 17, 18, 19], cvcLength: 3, gaps: [4, 6, 9] },
  { brand: "jcb", ranges: [["3528", "3589"]], lengths: [16, 17, 18, 19], cvcLength: 3, gaps: [4, 4, 4, 4, 3] },
  { brand: "unionpay", ranges: [["62", "62"], ["81", "81"]], lengths: [16, 17, 18, 19], cvcLength: 3, gaps: [4, 4, 4, 4, 3] },
];

export function brandRule(digits: string): BrandRule | undefined {
  return BRANDS.find((rule) =>
    rule.ranges.some(([from, to]) => digits.length >= from.length && digits.slice(0, from.length) >= from && digits.slice(0, from.length) <= to),
  );
}

export const cardBrand = (digits: string): Brand => brandRule(digits)?.brand ?? "unknown";

export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

// ---------- declines ----------

export type DeclineCode =
  | "generic_decline" | "insufficient_funds" | "lost_card" | "stolen_card" | "fraudulent" | "expired_card"
  | "incorrect_cvc" | "processing_error" | "authentication_required" | "live_mode_test_card" | "test_mode_live_card";

/** Per decline: the error `code`, the customer-facing message Stripe returns, and Stripe's advice_code. */
export const DECLINES: Record<DeclineCode, { code: string; message: string; advice: string | null; blocked?: boolean }> = {
  generic_decline: { code: "card_declined", message: "Your card was declined.", advice: "try_again_later" },
  insufficient_funds: { code: "card_declined", message: "Your card has insufficient funds.", advice: "try_again_later" },
  // Stripe words lost/stolen/fraudulent declines like a generic one, so the payer learns nothing from them.
  lost_card: { code: "card_declined", message: "Your card was declined.", advice: "do_not_try_again" },
  stolen_card: { code: "card_declined", message: "Your card was declined.", advice: "do_not_try_again" },
  fraudulent: { code: "card_declined", message: "Your card was declined.", advice: "do_not_try_again", blocked: true },
  expired_card: { code: "expired_card", message: "Your card has expired.", advice: "confirm_card_data" },
  incorrect_cvc: { code: "incorrect_cvc", message: "Your card's security code is incorrect.", advice: "confirm_card_data" },
  processing_error: { code: "processing_error", message: "An error occurred while processing your card. Try again in a little bit.", advice: "try_again_later" },
  authentication_required: { code: "authentication_required", message: "Your card was declined. This transaction requires authentication.", advice: null },
  live_mode_test_card: { code: "card_declined", message: "Your card was declined. Your request was in live mode, but used a known test card.", advice: "do_not_try_again" },
  test_mode_live_card: {
    code: "card_declined",
    message: "Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.",
    advice: "do_not_try_again",
  },
};

// ---------- test cards ----------

export type CardBehaviour =
  | { kind: "succeed" }
  /** `atSetup`: Stripe already declines when the card is attached or set up (it checks the card then). */
  | { kind: "decline"; decline: DeclineCode; atSetup: boolean }
  /** 3-D Secure: `always` (…3184) on every payment; otherwise (…3155) on-session, and off-session until set up. */
  | { kind: "authenticate"; always: boolean }
  /** Charge succeeds, then the payer disputes it as fraudulent (charge.dispute.created). */
  | { kind: "dispute" };

export interface TestCard {
  number: string;
  /** Stripe's test PaymentMethod token for the same card, where there is one. */
  token?: string;
  behaviour: CardBehaviour;
  funding?: "credit" | "debit" | "prepaid";
  what: string;
}

const ok: CardBehaviour = { kind: "succeed" };
const decline = (d: DeclineCode, atSetup = true): CardBehaviour => ({ kind: "decline", decline: d, atSetup });

export const TEST_CARDS: TestCard[] = [
  { number: "4242424242424242", token: "pm_card_visa", behaviour: ok, what: "Visa: succeeds" },
  { number: "4000056655665556", token: "pm_card_visa_debit", behaviour: ok, funding: "debit", what: "Visa debit: succeeds" },
  { number: "5555555555554444", token: "pm_card_mastercard", behaviour: ok, what: "Mastercard: succeeds" },
  { number: "2223003122003222", behaviour: ok, what: "Mastercard (2-series): succeeds" },
  { number: "5200828282828210", token: "pm_card_mastercard_debit", behaviour: ok, funding: "debit", what: "Mastercard debit: succeeds" },
  { number: "378282246310005", behaviour: ok, what: "American Express: succeeds" },
  { number: "371449635398431", token: "pm_card_amex", behaviour: ok, what: "American Express: succeeds" },
  { number: "6011111111111117", token: "pm_card_discover", behaviour: ok, what: "Discover: succeeds" },
  { number: "6011000990139424", behaviour: ok, what: "Discover: succeeds" },
  { number: "3056930009020004", token: "pm_card_diners", behaviour: ok, what: "Diners Club: succeeds" },
  { number: "36227206271667", behaviour: ok, what: "Diners Club (14 digits): succeeds" },
  { number: "3566002020360505", token: "pm_card_jcb", behaviour: ok, what: "JCB: succeeds" },
  { number: "6200000000000005", token: "pm_card_unionpay", behaviour: ok, what: "UnionPay: succeeds" },
  { number: "4000000000000002", token: "pm_card_chargeDeclined", behaviour: decline("generic_decline"), what: "declined: card_declined / generic_decline" },
  { number: "4000000000009995", token: "pm_card_chargeDeclinedInsufficientFunds", behaviour: decline("insufficient_funds"), what: "declined: insufficient_funds" },
  { number: "4000000000009987", token: "pm_card_chargeDeclinedLostCard", behaviour: decline("lost_card"), what: "declined: lost_card (do not retry)" },
  { number: "4000000000009979", token: "pm_card_chargeDeclinedStolenCard", behaviour: decline("stolen_card"), what: "declined: stolen_card (do not retry)" },
  { number: "4100000000000019", token: "pm_card_radarBlock", behaviour: decline("fraudulent"), what: "blocked as fraudulent (do not retry)" },
  { number: "4000000000000069", token: "pm_card_chargeDeclinedExpiredCard", behaviour: decline("expired_card"), what: "declined: expired_card" },
  { number: "4000000000000127", token: "pm_card_chargeDeclinedIncorrectCvc", behaviour: decline("incorrect_cvc"), what: "declined: incorrect_cvc" },
  { number: "4000000000000119", token: "pm_card_chargeDeclinedProcessingError", behaviour: decline("processing_error"), what: "declined: processing_error" },
  { number: "4000000000000341", token: "pm_card_chargeCustomerFail", behaviour: decline("generic_decline", false), what: "attaches and sets up; every charge declines" },
  { number: "4000002500003155", token: "pm_card_authenticationRequiredOnSetup", behaviour: { kind: "authenticate", always: false }, what: "3-D Secure on setup and on-session; off-session succeeds once set up" },
  { number: "4000002760003184", token: "pm_card_authenticationRequired", behaviour: { kind: "authenticate", always: true }, what: "3-D Secure on every payment; off-session fails with authentication_required" },
  { number: "4000000000000259", token: "pm_card_createDispute", behaviour: { kind: "dispute" }, what: "charge succeeds, then is disputed (fraudulent)" },
];

/** The test card a token names, or undefined. */
export const cardForToken = (token: string): TestCard | undefined => TEST_CARDS.find((c) => c.token === token);

// ---------- validation of raw card data (what Stripe.js sends to POST /v1/payment_methods) ----------

export interface CardInput {
  number: unknown;
  exp_month: unknown;
  exp_year: unknown;
  cvc: unknown;
}

export interface ValidCard {
  digits: string;
  brand: Exclude<Brand, "unknown">;
  last4: string;
  expMonth: number;
  expYear: number;
  funding: "credit" | "debit" | "prepaid";
  behaviour: CardBehaviour;
}

export interface CardCheckError {
  code: "incorrect_number" | "invalid_number" | "invalid_expiry_month" | "invalid_expiry_year" | "invalid_cvc" | "incorrect_cvc";
  param: "number" | "exp_month" | "exp_year" | "cvc";
  message: string;
}

const CHECK_MESSAGES: Record<CardCheckError["code"], string> = {
  incorrect_number: "Your card number is incorrect.",
  invalid_number: "Your card number is not a valid credit card number.",
  invalid_expiry_month: "Your card's expiration month is invalid.",
  invalid_expiry_year: "Your card's expiration year is invalid.",
  invalid_cvc: "Your card's security code is invalid.",
  incorrect_cvc: "Your card's security code is incorrect.",
};
const fail = (code: CardCheckError["code"], param: CardCheckError["param"]): { error: CardCheckError } => ({ error: { code, param, message: CHECK_MESSAGES[code] } });

/**
 * Checks a card the way Stripe's API does before it reaches an issuer. `now` is the server's clock.
 * A Luhn-valid number that is not one of Stripe's test cards is a real card: declined in test mode
 * (test_mode_live_card), as Stripe does, so nobody types a real card into a local server.
 */
export function checkCard(input: CardInput, now: Date): { card: ValidCard } | { error: CardCheckError } {
  const digits = String(input.number ?? "").replace(/[\s-]/g, "");
  if (!/^\d+$/.test(digits)) return fail("invalid_number", "number");
  const rule = brandRule(digits);
  if (!rule || !rule.lengths.includes(digits.length) || !luhnValid(digits)) return fail("incorrect_number", "number");

  const monthText = String(input.exp_month ?? "");
  const month = Number(monthText);
  if (!/^\d{1,2}$/.test(monthText) || month < 1 || month > 12) return fail("invalid_expiry_month", "exp_month");
  const yearText = String(input.exp_year ?? "");
  if (!/^(\d{2}|\d{4})$/.test(yearText)) return fail("invalid_expiry_year", "exp_year");
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  const thisYear = now.getUTCFullYear();
  if (year < thisYear || year > thisYear + 50) return fail("invalid_expiry_year", "exp_year");
  if (year === thisYear && month < now.getUTCMonth() + 1) return fail("invalid_expiry_month", "exp_month");

  const cvc = String(input.cvc ?? "");
  if (input.cvc !== undefined && !new RegExp(`^\\d{${rule.cvcLength}}$`).test(cvc)) return fail("invalid_cvc", "cvc");

  const test = TEST_CARDS.find((c) => c.number === digits);
  return {
    card: {
      digits,
      brand: rule.brand,
      last4: digits.slice(-4),
      expMonth: month,
      expYear: year,
      funding: test?.funding ?? "credit",
      behaviour: test?.behaviour ?? { kind: "decline", decline: "test_mode_live_card", atSetup: true },
    },
  };
}
