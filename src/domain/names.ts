/**
 * Matching user-typed names ("acme", "Müller GmbH", "acme crop") against known names.
 *
 * matchByName tiers (the first tier with any hit decides):
 *  1. exact: equal after normalizeName, or equal after also dropping punctuation
 *     ("acme inc" = "Acme, Inc.") or all spaces ("acmecorp" = "Acme Corp");
 *  2. prefix: the query starts the whole name or any word of it ("acme" and "corp" both
 *     match "Acme Corp"; "corp int" matches "Acme Corp International");
 *  3. fuzzy: restricted Damerau-Levenshtein distance (typos, one transposition = 1 edit)
 *     to the whole name or to the start of any word, within maxFuzzyEdits(query length);
 *     only the candidates at the smallest distance count.
 * One hit in the deciding tier → kind "exact" (with `match` telling which tier);
 * several → "ambiguous" (best first, at most 10). No hit → "none" with up to 5 looser
 * suggestions (distance ≤ half the query length).
 */

export type NameCandidate<T> = { key: string; item: T };

export type NameMatch<T> =
  | { kind: "exact"; item: T; match: "exact" | "prefix" | "fuzzy" }
  | { kind: "ambiguous"; items: T[] }
  | { kind: "none"; suggestions: T[] };

export const MAX_AMBIGUOUS = 10;
export const MAX_SUGGESTIONS = 5;
// Names are short; bounding the length bounds the quadratic edit-distance work.
const MAX_QUERY_LENGTH = 100;

// Letters NFKD does not decompose into base letter + mark.
const FOLD: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ł: "l", þ: "th", ð: "d", ı: "i" };

export function normalizeName(s: string): string {
  return s
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[ßæœøđłþðı]/gu, (c) => FOLD[c] ?? c)
    .replace(/\p{M}+/gu, "")
    .replace(/\s+/gu, " ")
    .trim();
}

/** normalizeName without punctuation: apostrophes vanish, other symbols become spaces. */
function looseKey(s: string): string {
  return normalizeName(s)
    .replace(/['’`´]/gu, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Restricted Damerau-Levenshtein ("optimal string alignment") distance over code points:
 * insertions, deletions, substitutions and adjacent transpositions each cost 1.
 */
export function editDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) rows.push(Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : 0)));
  for (let i = 1; i <= s.length; i++) {
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    row[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      row[j] = best;
    }
  }
  return rows[s.length]![t.length]!;
}

/** Typos tolerated for a query of this many characters (none for 1–2 characters). */
export function maxFuzzyEdits(length: number): number {
  if (length <= 2) return 0;
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

/** The name itself and each tail of it that starts at a word: "a b c" → "a b c", "b c", "c". */
function wordTails(key: string): string[] {
  const tails = [key];
  for (let i = key.indexOf(" "); i !== -1; i = key.indexOf(" ", i + 1)) tails.push(key.slice(i + 1));
  return tails;
}

/** Best distance between the query and the whole name or the start of any word tail. */
function fuzzyDistance(q: string, key: string): { distance: number; whole: boolean } {
  const whole = editDistance(q, key);
  let partial = Infinity;
  const len = Array.from(q).length;
  for (const tail of wordTails(key)) {
    const chars = Array.from(tail);
    // Compare against slices one shorter/longer too, so a missing or extra letter costs 1.
    for (const l of [len - 1, len, len + 1]) {
      if (l > 0 && l <= chars.length) partial = Math.min(partial, editDistance(q, chars.slice(0, l).join("")));
    }
  }
  return whole <= partial ? { distance: whole, whole: true } : { distance: partial, whole: false };
}

type Prepared<T> = { item: T; index: number; normalized: string; loose: string; compact: string };

function byKeyThenIndex<T>(a: Prepared<T>, b: Prepared<T>): number {
  if (a.loose.length !== b.loose.length) return a.loose.length - b.loose.length;
  if (a.loose !== b.loose) return a.loose < b.loose ? -1 : 1;
  return a.index - b.index;
}

function decide<T>(hits: Prepared<T>[], match: "exact" | "prefix" | "fuzzy"): NameMatch<T> | null {
  if (hits.length === 0) return null;
  if (hits.length === 1) return { kind: "exact", item: hits[0]!.item, match };
  return { kind: "ambiguous", items: hits.slice(0, MAX_AMBIGUOUS).map((h) => h.item) };
}

export function matchByName<T>(query: string, candidates: NameCandidate<T>[]): NameMatch<T> {
  const qNorm = normalizeName(query.slice(0, MAX_QUERY_LENGTH));
  const q = looseKey(qNorm);
  if (q === "") return { kind: "none", suggestions: [] };
  const qCompact = q.replace(/ /g, "");

  const prepared: Prepared<T>[] = candidates.map((c, index) => {
    const normalized = normalizeName(c.key.slice(0, 4 * MAX_QUERY_LENGTH));
    const loose = looseKey(normalized);
    return { item: c.item, index, normalized, loose, compact: loose.replace(/ /g, "") };
  });

  const exactNormalized = prepared.filter((p) => p.normalized === qNorm);
  const exact = exactNormalized.length > 0
    ? exactNormalized
    : prepared.filter((p) => p.loose !== "" && (p.loose === q || p.compact === qCompact));
  const exactResult = decide(exact.sort(byKeyThenIndex), "exact");
  if (exactResult) return exactResult;

  const prefixHits = prepared
    .map((p) => ({ p, rank: p.loose.startsWith(q) || p.compact.startsWith(qCompact) ? 0 : 1 }))
    .filter(({ p, rank }) => rank === 0 || wordTails(p.loose).some((tail) => tail.startsWith(q)))
    .sort((a, b) => a.rank - b.rank || byKeyThenIndex(a.p, b.p))
    .map(({ p }) => p);
  const prefixResult = decide(prefixHits, "prefix");
  if (prefixResult) return prefixResult;

  const qLength = Array.from(q).length;
  const scored = prepared
    .filter((p) => p.loose !== "")
    .map((p) => ({ p, ...fuzzyDistance(q, p.loose) }))
    .sort((a, b) => a.distance - b.distance || Number(b.whole) - Number(a.whole) || byKeyThenIndex(a.p, b.p));
  // Only the closest typo matches count: "intech" is 1 edit from "Initech" and 2 from the
  // start of "International"; offering both would make every typo ambiguous.
  const bestDistance = scored[0]?.distance ?? Infinity;
  const fuzzyResult = decide(
    scored.filter((s) => s.distance <= maxFuzzyEdits(qLength) && s.distance === bestDistance).map((s) => s.p),
    "fuzzy",
  );
  if (fuzzyResult) return fuzzyResult;

  const suggestions = scored
    .filter((s) => s.distance <= Math.ceil(qLength / 2))
    .slice(0, MAX_SUGGESTIONS)
    .map((s) => s.p.item);
  return { kind: "none", suggestions };
}

/**
 * Suggests a known option for a mistyped one (subcommands): an exact match after
 * normalisation, else the shortest option the input is a prefix of (input ≥ 2 characters),
 * else the closest option within 2 edits (and fewer edits than the input has characters).
 * Ties go to the option listed first.
 */
export function didYouMean(input: string, options: string[]): string | null {
  const q = normalizeName(input.slice(0, MAX_QUERY_LENGTH));
  if (q === "") return null;
  const normalized = options.map((o) => normalizeName(o));

  const exact = normalized.indexOf(q);
  if (exact !== -1) return options[exact]!;

  if (Array.from(q).length >= 2) {
    let best = -1;
    normalized.forEach((o, i) => {
      if (o.startsWith(q) && (best === -1 || o.length < normalized[best]!.length)) best = i;
    });
    if (best !== -1) return options[best]!;
  }

  const limit = Math.min(2, Array.from(q).length - 1);
  let best = -1;
  let bestDistance = Infinity;
  normalized.forEach((o, i) => {
    const d = editDistance(q, o);
    if (d <= limit && d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return best === -1 ? null : options[best]!;
}
