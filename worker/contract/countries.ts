/**
 * Countries: the ISO 3166-1 alpha-2 codes that are officially assigned today (249), and nothing else. Runtime-neutral:
 * the portal's country lists and the server's validation use this one list, so a code the portal offers is a code
 * the server accepts, and the reverse.
 *
 * Left out on purpose: withdrawn codes (DD, SU, YU, CS, AN, ZR, TP, FX, …), exceptionally or transitionally reserved
 * ones (UK, EU, EZ, UN, AC, CP, DG, EA, IC, TA, …) and user-assigned ones (AA, QM–QZ, XA–XZ such as XK, ZZ). Names are
 * not stored: they come from `Intl.DisplayNames` in the reader's language (`countryName`).
 */
import { z } from "zod";

export const COUNTRY_CODES: readonly string[] = (
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
  "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
  "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
  "DE DJ DK DM DO DZ " +
  "EC EE EG EH ER ES ET " +
  "FI FJ FK FM FO FR " +
  "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
  "HK HM HN HR HT HU " +
  "ID IE IL IM IN IO IQ IR IS IT " +
  "JE JM JO JP " +
  "KE KG KH KI KM KN KP KR KW KY KZ " +
  "LA LB LC LI LK LR LS LT LU LV LY " +
  "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
  "NA NC NE NF NG NI NL NO NP NR NU NZ " +
  "OM " +
  "PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
  "QA " +
  "RE RO RS RU RW " +
  "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
  "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
  "UA UG UM US UY UZ " +
  "VA VC VE VG VI VN VU " +
  "WF WS " +
  "YE YT " +
  "ZA ZM ZW"
).split(" ");

const CODE_SET = new Set(COUNTRY_CODES);

export function isCountryCode(code: string): boolean {
  return CODE_SET.has(code);
}

export const COUNTRY_MESSAGE = "Choose a country from the list.";

/** A country field: one of `COUNTRY_CODES`, as the portal's drop-downs send it. */
export const CountryCodeSchema = z.string({ error: COUNTRY_MESSAGE }).trim().refine(isCountryCode, COUNTRY_MESSAGE);

// Built on first use per locale: constructing Intl objects is not free.
const displayNames = new Map<string, Intl.DisplayNames | null>();

/** "US" → "United States" in `locale` (the runtime's default when omitted); a code with no name is returned as is. */
export function countryName(code: string, locale?: string): string {
  const key = locale ?? "";
  if (!displayNames.has(key)) {
    try {
      displayNames.set(key, new Intl.DisplayNames(locale ? [locale] : undefined, { type: "region", fallback: "code" }));
    } catch {
      displayNames.set(key, null);
    }
  }
  const names = displayNames.get(key);
  try {
    return (names && /^[A-Za-z]{2}$/.test(code) ? names.of(code.toUpperCase()) : undefined) ?? code;
  } catch {
    return code;
  }
}

/** Every country as `{ code, name }`, sorted by name in `locale`: what a country drop-down offers. */
export function countryOptions(locale?: string): ReadonlyArray<{ code: string; name: string }> {
  let list = optionLists.get(locale ?? "");
  if (!list) {
    const collator = new Intl.Collator(locale ? [locale] : undefined);
    list = COUNTRY_CODES.map((code) => ({ code, name: countryName(code, locale) })).sort((a, b) => collator.compare(a.name, b.name));
    optionLists.set(locale ?? "", list);
  }
  return list;
}
const optionLists = new Map<string, Array<{ code: string; name: string }>>();
