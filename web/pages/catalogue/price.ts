import { createAsync } from "@solidjs/router";
import { getBillingSettings } from "../../api/billing";
import { formatUnitPrice } from "../../format";

/**
 * Catalogue prices are in the billing currency: "€49.00 / month", never a bare "49 / month". Call inside a
 * component (operators with billing.read; the settings are cached).
 */
export function unitPriceFormatter(): (price: string, unit?: string) => string {
  const settings = createAsync(() => getBillingSettings());
  return (price, unit) => {
    const s = settings();
    return s ? formatUnitPrice(price, s.currency, unit) : unit ? `${price} / ${unit}` : price;
  };
}
