import { parseDecimal, rescale } from "../../contract/money";
import { validationFailed } from "../../errors";

/** Largest single credit accepted: 10^12 minor units (ten billion euros); keeps every sum a safe integer. */
export const MAX_CREDIT_MINOR = 1_000_000_000_000;

/**
 * Parses an amount the user typed ("50", "49.99") into minor units of the currency, exactly. More decimals
 * than the currency has, zero, negative or absurdly large amounts are refused with a field message.
 */
export function parseAmountMinor(text: string, exponent: number, field = "amount"): number {
  const d = parseDecimal(text, exponent);
  if (!d) {
    const anyDecimal = parseDecimal(text, 30);
    throw validationFailed({ [field]: anyDecimal ? (exponent === 0 ? "This currency has no decimals." : `Use at most ${exponent} decimals.`) : "Enter an amount like 50.00." });
  }
  if (d.value <= 0n) throw validationFailed({ [field]: "The amount must be greater than zero." });
  const minor = rescale(d.value, d.scale, exponent);
  if (minor > BigInt(MAX_CREDIT_MINOR)) throw validationFailed({ [field]: "The amount is too large." });
  return Number(minor);
}
