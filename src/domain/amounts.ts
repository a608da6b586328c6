/**
 * Money amounts typed by users ("12k", "$12,000", "12.000 €") and their display.
 *
 * Money is always integer minor units where one major unit is 100 minor units
 * (the app's convention for every currency; parseAmount does not know the currency).
 *
 * Separator rules (parseAmount):
 *  - `.` and `,` both present: the one that appears last is the decimal separator, the
 *    other groups thousands ("12.000,50" and "12,000.50" are 12000.50 in every locale).
 *  - Spaces / NBSP / U+202F / apostrophes group thousands ("12 000", "1'000"); a `.` or `,`
 *    after such groups is the decimal separator.
 *  - One separator kind repeated ("1.000.000"): thousands grouping, in every locale.
 *  - One separator once, followed by exactly 3 digits and preceded by 1–3 digits (not "0"):
 *    thousands if the locale does NOT use that character as its decimal separator,
 *    otherwise it is a decimal separator. Everything else with one separator is decimal.
 *    So "1.234" is 1234 in de-DE but 1.234 (→ invalid, see below) in en-US;
 *    "1,234" is 1234 in en-US but invalid in de-DE.
 *  - Without a multiplier at most 2 fraction digits are allowed (cents): "12.000" in
 *    en-US is rejected as invalid rather than silently read as 12 dollars.
 *    With a multiplier the result only has to be whole cents ("1.234k" = 1234.00).
 *  - Multipliers: k / tsd (10^3), m / mio / mn (10^6), b / bn / mrd (10^9), any case,
 *    optionally followed by ".".
 *  - Currency: a symbol ($ € £ ¥ ₹ US$) or a 3-letter code before or after the number.
 *  - A minus sign (-, −) or (parentheses) around an otherwise valid amount → "negative".
 */

import { numberFormat } from "./intl-cache.js";

export type ParseAmountResult =
  | { ok: true; cents: number }
  | { ok: false; reason: "empty" | "invalid" | "negative" | "too_large" };

/** Largest accepted amount: 1e12 major units. */
export const MAX_AMOUNT_CENTS = 100_000_000_000_000; // 1e12 * 100

const MULTIPLIERS: Record<string, bigint> = {
  k: 1_000n,
  tsd: 1_000n,
  m: 1_000_000n,
  mio: 1_000_000n,
  mn: 1_000_000n,
  b: 1_000_000_000n,
  bn: 1_000_000_000n,
  mrd: 1_000_000_000n,
};

const CURRENCY_SYMBOL = "(?:US\\$|[$€£¥₹])";
const LEADING_CURRENCY = new RegExp(`^(?:${CURRENCY_SYMBOL}|[a-z]{3}(?![a-z]))\\s*`, "i");
const TRAILING_CURRENCY = new RegExp(`\\s*(?:${CURRENCY_SYMBOL}|(?<![a-z])[a-z]{3})$`, "i");
const TRAILING_MULTIPLIER = /\s*(?<![a-z])(k|tsd|mio|mn|mrd|bn|m|b)\.?$/i;
// Space-like thousands separators people type or paste from formatted output.
const GROUP_SPACE = /[ \u00a0\u202f\u2009'’]/;

function localeDecimalSeparator(locale: string): "." | "," {
  try {
    const parts = numberFormat(locale).formatToParts(1.5);
    return parts.find((p) => p.type === "decimal")?.value === "," ? "," : ".";
  } catch {
    // An invalid locale tag must not break parsing; English conventions are the fallback.
    return ".";
  }
}

function isMultiplierWord(word: string): boolean {
  return Object.hasOwn(MULTIPLIERS, word.toLowerCase());
}

/** Strips currency markers (before or after the number) and a multiplier suffix. */
function stripDecorations(input: string): { body: string; multiplier: bigint } {
  let s = input.trim();
  let multiplier = 1n;
  const lead = LEADING_CURRENCY.exec(s);
  if (lead && !isMultiplierWord(lead[0].trim())) s = s.slice(lead[0].length);
  const trail = TRAILING_CURRENCY.exec(s);
  if (trail && !isMultiplierWord(trail[0].trim())) s = s.slice(0, s.length - trail[0].length);
  const mult = TRAILING_MULTIPLIER.exec(s);
  if (mult) {
    multiplier = MULTIPLIERS[mult[1]!.toLowerCase()]!;
    s = s.slice(0, s.length - mult[0].length);
  }
  return { body: s.trim(), multiplier };
}

/** Splits "1.234,5" into integer and fraction digit strings, or null if malformed. */
function splitNumber(body: string, decimalSep: "." | ","): { int: string; frac: string } | null {
  if (!/^[\d.,]+$/.test(body.replace(new RegExp(GROUP_SPACE.source, "g"), ""))) return null;

  if (GROUP_SPACE.test(body)) {
    const m = /^(\d{1,3}(?:[ \u00a0\u202f\u2009'’]\d{3})+)(?:[.,](\d+))?$/.exec(body);
    if (!m) return null;
    return { int: m[1]!.replace(/\D/g, ""), frac: m[2] ?? "" };
  }

  const dots = body.split(".").length - 1;
  const commas = body.split(",").length - 1;

  if (dots === 0 && commas === 0) return /^\d+$/.test(body) ? { int: body, frac: "" } : null;

  if (dots > 0 && commas > 0) {
    const dec = body.lastIndexOf(".") > body.lastIndexOf(",") ? "." : ",";
    const group = dec === "." ? "," : ".";
    const [intPart, frac, ...extra] = body.split(dec);
    if (extra.length > 0 || !/^\d*$/.test(frac!)) return null;
    const int = ungroup(intPart!, group);
    return int === null ? null : { int, frac: frac! };
  }

  const sep = dots > 0 ? "." : ",";
  if (dots + commas > 1) {
    const int = ungroup(body, sep);
    return int === null ? null : { int, frac: "" };
  }

  const [int, frac] = body.split(sep) as [string, string];
  if (!/^\d*$/.test(int) || !/^\d*$/.test(frac) || (int === "" && frac === "")) return null;
  const looksGrouped = frac.length === 3 && /^[1-9]\d{0,2}$/.test(int);
  if (looksGrouped && sep !== decimalSep) return { int: int + frac, frac: "" };
  return { int, frac };
}

/** "1.234.567" → "1234567" when every group after the first has exactly 3 digits. */
function ungroup(s: string, group: string): string | null {
  if (!s.includes(group)) return /^\d+$/.test(s) ? s : null;
  const parts = s.split(group);
  const [first, ...rest] = parts;
  if (!/^\d{1,3}$/.test(first!) || !rest.every((p) => /^\d{3}$/.test(p))) return null;
  return parts.join("");
}

function parseUnsigned(text: string, locale: string): ParseAmountResult {
  const { body, multiplier } = stripDecorations(text);
  if (body === "") return { ok: false, reason: "invalid" };
  const parts = splitNumber(body, localeDecimalSeparator(locale));
  if (!parts) return { ok: false, reason: "invalid" };
  if (multiplier === 1n && parts.frac.length > 2) return { ok: false, reason: "invalid" };

  // Exact integer arithmetic: float parsing would turn "0.29" into 28.999… cents.
  const digits = BigInt((parts.int || "0") + parts.frac);
  const scale = 10n ** BigInt(parts.frac.length);
  const numerator = digits * multiplier * 100n;
  if (numerator % scale !== 0n) return { ok: false, reason: "invalid" };
  const cents = numerator / scale;
  if (cents > BigInt(MAX_AMOUNT_CENTS)) return { ok: false, reason: "too_large" };
  return { ok: true, cents: Number(cents) };
}

export function parseAmount(text: string, locale: string): ParseAmountResult {
  const s = text.trim();
  if (s === "") return { ok: false, reason: "empty" };
  // Amounts are short; refusing long input keeps the work bounded on untrusted text.
  if (s.length > 200) return { ok: false, reason: "invalid" };

  // A sign may precede the number or sit between a currency prefix and it ("$-5", "USD -5").
  const paren = /^\((.*)\)$/.exec(s);
  const unsignedText = paren
    ? paren[1]!
    : s.replace(/^((?:US\$|[$€£¥₹]|[A-Za-z]{3})?)\s*[-−–]\s*/, "$1").replace(/^\+/, "");
  const signed = paren !== null || unsignedText !== s.replace(/^\+/, "");
  if (/[-−–]/.test(unsignedText)) return { ok: false, reason: "invalid" };

  const result = parseUnsigned(unsignedText, locale);
  if (signed && result.ok) return result.cents === 0 ? result : { ok: false, reason: "negative" };
  return result;
}

/** The currencies a symbol can stand for. "$" alone is every dollar; "US$" only the American one. */
const SYMBOL_CURRENCIES: Record<string, readonly string[]> = {
  "US$": ["USD"],
  $: ["USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD", "ARS", "CLP", "COP"],
  "€": ["EUR"],
  "£": ["GBP"],
  "¥": ["JPY", "CNY"],
  "₹": ["INR"],
};

let isoCodes: ReadonlySet<string> | undefined;

/** ISO 4217 codes this runtime's Intl knows (and so can format). */
export function isKnownCurrency(code: string): boolean {
  isoCodes ??= new Set(Intl.supportedValuesOf("currency"));
  return isoCodes.has(code);
}

const LEADING_MARK = new RegExp(`^(${CURRENCY_SYMBOL}|[a-z]{3}(?![a-z]))`, "i");
// A symbol may follow anything ("12k€", "1,5Mio€"); a code only a non-letter ("5 EUR", not "5 mio").
const TRAILING_SYMBOL = new RegExp(`(${CURRENCY_SYMBOL})$`, "i");
const TRAILING_CODE = /(?<![a-z])([a-z]{3})$/i;

/**
 * The currency an amount is written in, from the symbol or ISO code beside it ("1.500.000,00 €",
 * "USD 12,000", "£5k"): the codes it can stand for, or null when it names none.
 */
export function currencyOfAmount(text: string): readonly string[] | null {
  const s = text.trim().replace(/^[-−–(+]\s*/, "").replace(/\)$/, "");
  const lead = LEADING_MARK.exec(s)?.[1];
  const trail = TRAILING_SYMBOL.exec(s)?.[1] ?? TRAILING_CODE.exec(s)?.[1];
  for (const mark of [lead, trail]) {
    if (!mark) continue;
    const symbol = SYMBOL_CURRENCIES[mark.toUpperCase() === "US$" ? "US$" : mark];
    if (symbol) return symbol;
    const code = mark.toUpperCase();
    if (isKnownCurrency(code)) return [code];
  }
  return null;
}

export function formatMoney(
  cents: number,
  currency: string,
  locale: string,
  opts: { compact?: boolean } = {},
): string {
  const major = cents / 100;
  const whole = cents % 100 === 0;
  const options: Intl.NumberFormatOptions = opts.compact
    ? { style: "currency", currency, notation: "compact", minimumFractionDigits: 0, maximumFractionDigits: 1 }
    : { style: "currency", currency, ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}) };
  for (const loc of [locale, "en-US"]) {
    try {
      return numberFormat(loc, options).format(major);
    } catch {
      // Bad locale or currency code from config: try the fallback below instead of throwing.
    }
  }
  const plain = numberFormat("en-US", { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 });
  return `${plain.format(major)} ${currency}`;
}
