/**
 * Writing CSV (RFC 4180): a field is quoted when it contains the delimiter, a quote, a line break
 * or leading/trailing spaces; quotes inside are doubled. null/undefined is an empty field.
 */
export function csvField(value: string | number | boolean | null | undefined, delimiter = ","): string {
  if (value === null || value === undefined) return "";
  const s = String(value);
  const needsQuotes = s.includes(delimiter) || s.includes('"') || s.includes("\n") || s.includes("\r") || s !== s.trim();
  return needsQuotes ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record, without the line ending. */
export function csvLine(values: (string | number | boolean | null | undefined)[], delimiter = ","): string {
  return values.map((v) => csvField(v, delimiter)).join(delimiter);
}

/** Integer minor units as an exact decimal string of major units: 123456 → "1234.56". */
export function centsToDecimal(cents: number | bigint): string {
  const c = BigInt(cents);
  const sign = c < 0n ? "-" : "";
  const abs = c < 0n ? -c : c;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}
