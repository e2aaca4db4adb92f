/** Exact decimal prices and quantities as stored (integer value, integer scale) and as shown ("0.0125"). */
import { formatDecimal, parseDecimal } from "../../contract/money";
import { toSafeNumber } from "../../contract/money";

export function toStored(text: string, maxScale: number): { value: number; scale: number } {
  const d = parseDecimal(text, maxScale);
  if (!d) throw new RangeError(`not a decimal: ${text}`);
  return { value: toSafeNumber(d.value), scale: d.scale };
}

export function fromStored(value: number, scale: number): string {
  return formatDecimal({ value: BigInt(value), scale });
}
