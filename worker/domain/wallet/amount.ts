import { creditAmountMinor, creditAmountProblem } from "../../contract/wallet";
import { validationFailed } from "../../errors";

/**
 * Parses an amount the user typed ("50", "49.99") into minor units of the currency, exactly. More decimals
 * than the currency has, zero, negative or amounts above MAX_AMOUNT (money.ts) are refused with a field message.
 */
export function parseAmountMinor(text: string, exponent: number, field = "amount"): number {
  const problem = creditAmountProblem(text, exponent);
  if (problem) throw validationFailed({ [field]: problem });
  return Number(creditAmountMinor(text, exponent));
}
