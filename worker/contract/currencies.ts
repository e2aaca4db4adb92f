/**
 * ISO 4217 currencies with their minor-unit exponent (digits after the decimal point). Runtime-neutral.
 * Zero-decimal (JPY, KRW, CLP, …) and three-decimal (BHD, JOD, KWD, OMR, TND, …) currencies follow ISO 4217.
 */
const ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
const THREE = "BHD IQD JOD KWD LYD OMR TND";
const FOUR = "CLF UYW";

const NAMES: Record<string, string> = {
  AED: "UAE Dirham", AFN: "Afghani", ALL: "Lek", AMD: "Armenian Dram", ANG: "Netherlands Antillean Guilder", AOA: "Kwanza",
  ARS: "Argentine Peso", AUD: "Australian Dollar", AWG: "Aruban Florin", AZN: "Azerbaijan Manat", BAM: "Convertible Mark",
  BBD: "Barbados Dollar", BDT: "Taka", BGN: "Bulgarian Lev", BHD: "Bahraini Dinar", BIF: "Burundi Franc", BMD: "Bermudian Dollar",
  BND: "Brunei Dollar", BOB: "Boliviano", BRL: "Brazilian Real", BSD: "Bahamian Dollar", BTN: "Ngultrum", BWP: "Pula",
  BYN: "Belarusian Ruble", BZD: "Belize Dollar", CAD: "Canadian Dollar", CDF: "Congolese Franc", CHF: "Swiss Franc",
  CLF: "Unidad de Fomento", CLP: "Chilean Peso", CNY: "Yuan Renminbi", COP: "Colombian Peso", CRC: "Costa Rican Colon",
  CUP: "Cuban Peso", CVE: "Cabo Verde Escudo", CZK: "Czech Koruna", DJF: "Djibouti Franc", DKK: "Danish Krone",
  DOP: "Dominican Peso", DZD: "Algerian Dinar", EGP: "Egyptian Pound", ERN: "Nakfa", ETB: "Ethiopian Birr", EUR: "Euro",
  FJD: "Fiji Dollar", FKP: "Falkland Islands Pound", GBP: "Pound Sterling", GEL: "Lari", GHS: "Ghana Cedi", GIP: "Gibraltar Pound",
  GMD: "Dalasi", GNF: "Guinean Franc", GTQ: "Quetzal", GYD: "Guyana Dollar", HKD: "Hong Kong Dollar", HNL: "Lempira",
  HTG: "Gourde", HUF: "Forint", IDR: "Rupiah", ILS: "New Israeli Sheqel", INR: "Indian Rupee", IQD: "Iraqi Dinar",
  IRR: "Iranian Rial", ISK: "Iceland Krona", JMD: "Jamaican Dollar", JOD: "Jordanian Dinar", JPY: "Yen", KES: "Kenyan Shilling",
  KGS: "Som", KHR: "Riel", KMF: "Comorian Franc", KPW: "North Korean Won", KRW: "Won", KWD: "Kuwaiti Dinar",
  KYD: "Cayman Islands Dollar", KZT: "Tenge", LAK: "Lao Kip", LBP: "Lebanese Pound", LKR: "Sri Lanka Rupee",
  LRD: "Liberian Dollar", LSL: "Loti", LYD: "Libyan Dinar", MAD: "Moroccan Dirham", MDL: "Moldovan Leu", MGA: "Malagasy Ariary",
  MKD: "Denar", MMK: "Kyat", MNT: "Tugrik", MOP: "Pataca", MRU: "Ouguiya", MUR: "Mauritius Rupee", MVR: "Rufiyaa",
  MWK: "Malawi Kwacha", MXN: "Mexican Peso", MYR: "Malaysian Ringgit", MZN: "Mozambique Metical", NAD: "Namibia Dollar",
  NGN: "Naira", NIO: "Cordoba Oro", NOK: "Norwegian Krone", NPR: "Nepalese Rupee", NZD: "New Zealand Dollar", OMR: "Rial Omani",
  PAB: "Balboa", PEN: "Sol", PGK: "Kina", PHP: "Philippine Peso", PKR: "Pakistan Rupee", PLN: "Zloty", PYG: "Guarani",
  QAR: "Qatari Rial", RON: "Romanian Leu", RSD: "Serbian Dinar", RUB: "Russian Ruble", RWF: "Rwanda Franc", SAR: "Saudi Riyal",
  SBD: "Solomon Islands Dollar", SCR: "Seychelles Rupee", SDG: "Sudanese Pound", SEK: "Swedish Krona", SGD: "Singapore Dollar",
  SHP: "Saint Helena Pound", SLE: "Leone", SOS: "Somali Shilling", SRD: "Surinam Dollar", SSP: "South Sudanese Pound",
  STN: "Dobra", SVC: "El Salvador Colon", SYP: "Syrian Pound", SZL: "Lilangeni", THB: "Baht", TJS: "Somoni", TMT: "Turkmenistan New Manat",
  TND: "Tunisian Dinar", TOP: "Pa’anga", TRY: "Turkish Lira", TTD: "Trinidad and Tobago Dollar", TWD: "New Taiwan Dollar",
  TZS: "Tanzanian Shilling", UAH: "Hryvnia", UGX: "Uganda Shilling", USD: "US Dollar", UYI: "Uruguay Peso en Unidades Indexadas",
  UYU: "Peso Uruguayo", UYW: "Unidad Previsional", UZS: "Uzbekistan Sum", VES: "Bolívar Soberano", VND: "Dong", VUV: "Vatu",
  WST: "Tala", XAF: "CFA Franc BEAC", XCD: "East Caribbean Dollar", XOF: "CFA Franc BCEAO", XPF: "CFP Franc", YER: "Yemeni Rial",
  ZAR: "Rand", ZMW: "Zambian Kwacha", ZWG: "Zimbabwe Gold",
};

export interface Currency {
  code: string;
  name: string;
  /** Digits of the minor unit (2 for EUR cents, 0 for JPY, 3 for KWD fils). */
  exponent: number;
}

const exponentOf = (code: string) => (ZERO.includes(code) ? 0 : THREE.includes(code) ? 3 : FOUR.includes(code) ? 4 : 2);

export const CURRENCIES: Currency[] = Object.keys(NAMES)
  .sort()
  .map((code) => ({ code, name: NAMES[code]!, exponent: exponentOf(code) }));

export const CURRENCY_CODES = CURRENCIES.map((c) => c.code);

export function currency(code: string): Currency {
  const found = CURRENCIES.find((c) => c.code === code);
  if (!found) throw new Error(`Unknown currency ${code}`);
  return found;
}
