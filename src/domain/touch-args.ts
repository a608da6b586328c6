/**
 * Argument grammar of `/ae log` and `/ae followup`, pure so it can be tested table-driven.
 *
 *   log <account> <kind> [with @colleague …] [text]
 *   followup <account> <when> <what>
 *
 * Account names may be quoted, but need not be: `log acme corp call` works. Because the split is
 * a guess, both parsers return candidates in order of preference; the caller tries each against
 * the user's accounts and takes the first that names exactly one (see the subcommands).
 * Free text (the note, the follow-up title) is taken from the raw command text so spacing and
 * quotes survive, not re-joined from tokens.
 */
import { decodeSlackEntities, tokenize, tokensToText, type Token } from "./command-args.js";
import { normalizeName } from "./names.js";

export const TOUCH_KINDS = ["call", "email", "meeting", "demo", "meal", "entertainment", "note"] as const;
export type TouchKind = (typeof TOUCH_KINDS)[number];

/** English and German words for each kind (normalized: lowercase, no accents). */
const KIND_WORDS: Record<string, TouchKind> = {
  call: "call", phone: "call", phonecall: "call", anruf: "call", telefonat: "call", telefon: "call", anrufen: "call",
  email: "email", "e-mail": "email", mail: "email",
  meeting: "meeting", termin: "meeting", treffen: "meeting", besprechung: "meeting", visit: "meeting", besuch: "meeting",
  demo: "demo", vorfuhrung: "demo", praesentation: "demo", prasentation: "demo", presentation: "demo",
  meal: "meal", lunch: "meal", dinner: "meal", breakfast: "meal", essen: "meal", mittagessen: "meal", abendessen: "meal", fruhstuck: "meal",
  entertainment: "entertainment", event: "entertainment", unterhaltung: "entertainment", veranstaltung: "entertainment",
  note: "note", notiz: "note", notes: "note",
};

export function isTouchKind(value: string): value is TouchKind {
  return (TOUCH_KINDS as readonly string[]).includes(value);
}

/** The kind a word names ("Anruf" → call), or null. */
export function parseTouchKind(word: string): TouchKind | null {
  const key = normalizeName(word).replace(/[.,;:!?]+$/u, "");
  return Object.hasOwn(KIND_WORDS, key) ? KIND_WORDS[key]! : null;
}

const WITH_WORDS = new Set(["with", "mit", "w/"]);
const JOIN_WORDS = new Set(["and", "und", "&", ",", "+"]);

/** How far a prefix-scan for the raw text after some tokens may look (bounds the work). */
const MAX_SCAN = 2000;

function sameToken(a: Token, b: Token): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The raw text after the first `count` tokens of `text` (entities decoded, trimmed). Falls back
 * to re-joining the tokens when the split point cannot be found within the scanned prefix.
 */
export function textAfterTokens(text: string, count: number): string {
  const all = tokenize(text);
  if (count >= all.length) return "";
  if (count <= 0) return decodeSlackEntities(text.trim());
  const want = all.slice(0, count);
  const limit = Math.min(text.length, MAX_SCAN);
  for (let p = 1; p <= limit; p++) {
    const atBoundary = p === text.length || /\s/u.test(text[p]!) || text[p - 1] === ">";
    if (!atBoundary) continue;
    const head = tokenize(text.slice(0, p));
    if (head.length > count) break;
    if (head.length === count && head.every((t, i) => sameToken(t, want[i]!))) {
      return decodeSlackEntities(text.slice(p).trim());
    }
  }
  return tokensToText(all.slice(count)).trim();
}

/** A token as a plain word ("#12", "Acme", "re:pricing" for an option). Mentions are not words. */
function wordOf(t: Token): string | null {
  if (t.kind === "word") return t.value;
  if (t.kind === "option") return `${t.key}:${t.value}`;
  return null;
}

export interface LogCandidate {
  /** The account as typed (words joined by spaces). */
  account: string;
  kind: TouchKind;
  /** Slack user ids from "with @a @b" right after the kind, in order, without duplicates. */
  participants: string[];
  /** The note: raw text after the kind and participants ("" when none). */
  note: string;
  /** The text after the account (kind, participants, note) for re-running with `#id`. */
  rest: string;
}

export type LogArgs =
  | { kind: "empty" }
  /** Only an account (one token): open the modal with it picked. */
  | { kind: "account_only"; account: string }
  /** Several words but none names a kind. */
  | { kind: "no_kind" }
  /** The first token is not a word (e.g. a mention). */
  | { kind: "no_account" }
  | { kind: "ok"; candidates: LogCandidate[] };

const MAX_CANDIDATES = 3;

export function parseLogArgs(text: string): LogArgs {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { kind: "empty" };
  if (wordOf(tokens[0]!) === null || tokens[0]!.kind === "option") return { kind: "no_account" };
  if (tokens.length === 1) return { kind: "account_only", account: tokens[0]!.kind === "word" ? tokens[0]!.value : "" };
  const candidates: LogCandidate[] = [];
  for (let i = 1; i < tokens.length && candidates.length < MAX_CANDIDATES; i++) {
    const head = tokens.slice(0, i);
    if (head.some((t) => t.kind !== "word")) break;
    const word = tokens[i]!.kind === "word" ? (tokens[i] as { value: string }).value : null;
    const kind = word === null ? null : parseTouchKind(word);
    if (kind === null) continue;
    const { participants, end } = readParticipants(tokens, i + 1);
    candidates.push({
      account: head.map((t) => (t as { value: string }).value).join(" "),
      kind,
      participants,
      note: textAfterTokens(text, end),
      rest: textAfterTokens(text, i),
    });
  }
  return candidates.length > 0 ? { kind: "ok", candidates } : { kind: "no_kind" };
}

/** "with @a, @b and @c" (or just "@a @b") starting at `start`; returns the ids and where the note begins. */
function readParticipants(tokens: Token[], start: number): { participants: string[]; end: number } {
  let i = start;
  const first = tokens[i];
  if (first?.kind === "word" && WITH_WORDS.has(first.value.toLowerCase()) && tokens[i + 1]?.kind === "user") i++;
  const ids: string[] = [];
  let end = start;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.kind === "user") {
      if (!ids.includes(t.id)) ids.push(t.id);
      i++;
      end = i;
      continue;
    }
    if (ids.length > 0 && t.kind === "word" && JOIN_WORDS.has(t.value.toLowerCase()) && tokens[i + 1]?.kind === "user") {
      i++;
      continue;
    }
    break;
  }
  return { participants: ids, end: ids.length > 0 ? end : start };
}

export interface FollowUpCandidate {
  account: string;
  /** The words that parsed as a date, joined by spaces. */
  when: string;
  /** The date those words name. */
  date: string;
  /** The follow-up text: raw text after the date words. */
  title: string;
  /** The text after the account, for re-running with `#id`. */
  rest: string;
}

export type FollowUpArgs =
  | { kind: "empty" }
  | { kind: "account_only"; account: string }
  | { kind: "no_account" }
  /** No run of words after the account reads as a date. */
  | { kind: "no_date" }
  /** A date was found but nothing to do after it. */
  | { kind: "no_title"; when: string }
  | { kind: "ok"; candidates: FollowUpCandidate[] };

const MAX_ACCOUNT_WORDS = 6;
const MAX_WHEN_WORDS = 6;

/**
 * Splits `<account> <when> <what>`. For each possible account length (shortest first) the longest
 * run of following words that `parseDate` accepts is the date; at least one word must remain for
 * the title. So "acme in 3 days send the deck" and "acme nächsten Montag anrufen" need no quotes.
 */
export function parseFollowUpArgs(text: string, parseDate: (when: string) => string | null): FollowUpArgs {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { kind: "empty" };
  if (tokens[0]!.kind !== "word") return { kind: "no_account" };
  if (tokens.length === 1) return { kind: "account_only", account: tokens[0]!.value };
  const candidates: FollowUpCandidate[] = [];
  let dateWithoutTitle: string | null = null;
  for (let a = 1; a < tokens.length && a <= MAX_ACCOUNT_WORDS && candidates.length < MAX_CANDIDATES; a++) {
    const head = tokens.slice(0, a);
    if (head.some((t) => t.kind !== "word")) break;
    const words: string[] = [];
    for (let j = a; j < tokens.length && j < a + MAX_WHEN_WORDS; j++) {
      const w = wordOf(tokens[j]!);
      if (w === null) break;
      words.push(w);
    }
    for (let len = words.length; len >= 1; len--) {
      const when = words.slice(0, len).join(" ");
      const date = parseDate(when);
      if (date === null) continue;
      if (a + len >= tokens.length) {
        dateWithoutTitle ??= when;
        continue;
      }
      candidates.push({
        account: head.map((t) => (t as { value: string }).value).join(" "),
        when,
        date,
        title: textAfterTokens(text, a + len),
        rest: textAfterTokens(text, a),
      });
      break;
    }
  }
  if (candidates.length > 0) return { kind: "ok", candidates };
  if (dateWithoutTitle !== null) return { kind: "no_title", when: dateWithoutTitle };
  return { kind: "no_date" };
}
