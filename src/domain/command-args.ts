/**
 * Tokenizer for slash-command text. The text is untrusted: nothing here throws, and all
 * work is linear in the input length.
 *
 * Rules:
 *  - Tokens are separated by whitespace.
 *  - A token that starts with a quote ("…", “…”, „…“, '…', ‘…’, ‚…‘, «…», »…«) runs to the
 *    matching closing quote and may contain spaces; text glued to the closing quote stays
 *    in the token ("Acme Corp". → `Acme Corp.`). Quotes elsewhere in a word are literal
 *    (so "O'Brien" and "don't" survive). An unbalanced quote takes the rest of the text.
 *    Quoted tokens are always plain words, never options.
 *  - `key:value` and `key:"multi word"` form one option token when key is ASCII letters
 *    (lowercased: "Due:fri" → key "due") and the value is not empty; URLs ("https://…",
 *    "mailto:…") and "note:" followed by a space stay words.
 *  - Slack escapes mentions because the manifest sets should_escape: `<@U123|name>` →
 *    user, `<#C123|general>` → channel, `<!subteam^S123|@team>` → usergroup. A mention ends
 *    the current word. Other `<…>` forms (links, <!here>) are left as words.
 *  - Slack's HTML entities (&amp; &lt; &gt;) are decoded in words and option values.
 */

export type Token =
  | { kind: "word"; value: string }
  | { kind: "user"; id: string }
  | { kind: "channel"; id: string; name?: string }
  | { kind: "usergroup"; id: string; handle?: string }
  | { kind: "option"; key: string; value: string };

const QUOTE_CLOSERS: Record<string, string> = {
  '"': '"”“',
  "“": "”“\"",
  "”": "”\"",
  "„": "“”\"",
  "'": "'’",
  "‘": "’'‘",
  "‚": "‘’'",
  "«": "»",
  "»": "«",
};

const URL_SCHEMES = new Set(["http", "https", "ftp", "mailto", "tel", "slack", "file"]);

// Sticky so matching at a position does not rescan (or copy) the rest of the text.
const MENTION_RE = /<(@|#|!subteam\^)([A-Z0-9]+)(?:\|([^<>]*))?>/y;

function isSpace(c: string): boolean {
  return /\s/u.test(c);
}

export function decodeSlackEntities(s: string): string {
  return s.replace(/&(amp|lt|gt);/g, (_, e: string) => (e === "amp" ? "&" : e === "lt" ? "<" : ">"));
}

function mentionAt(text: string, pos: number): { token: Token; end: number } | null {
  if (text[pos] !== "<") return null;
  MENTION_RE.lastIndex = pos;
  const m = MENTION_RE.exec(text);
  if (!m) return null;
  const [, sigil, id, label] = m as unknown as [string, string, string, string | undefined];
  const end = pos + m[0].length;
  if (sigil === "@") return { token: { kind: "user", id }, end };
  if (sigil === "#") return { token: label ? { kind: "channel", id, name: label } : { kind: "channel", id }, end };
  return { token: label ? { kind: "usergroup", id, handle: label } : { kind: "usergroup", id }, end };
}

/** Parses a single mention such as an option value "<@U123|bob>"; null if it is not one. */
export function parseMention(text: string): Token | null {
  const t = text.trim();
  const found = mentionAt(t, 0);
  return found && found.end === t.length ? found.token : null;
}

/** Reads a quoted run starting after the opener at `pos`; returns content and next position. */
function readQuoted(text: string, pos: number, opener: string): { value: string; end: number } {
  const closers = QUOTE_CLOSERS[opener]!;
  for (let i = pos; i < text.length; i++) {
    if (closers.includes(text[i]!)) return { value: text.slice(pos, i), end: i + 1 };
  }
  return { value: text.slice(pos).trimEnd(), end: text.length };
}

/** Reads unquoted characters up to whitespace or the start of a mention. */
function readBare(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && !isSpace(text[i]!) && !(text[i] === "<" && mentionAt(text, i))) i++;
  return i;
}

function isQuote(c: string | undefined): c is string {
  return c !== undefined && Object.hasOwn(QUOTE_CLOSERS, c);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const s = typeof text === "string" ? text : "";
  let pos = 0;
  while (pos < s.length) {
    if (isSpace(s[pos]!)) {
      pos++;
      continue;
    }

    const mention = mentionAt(s, pos);
    if (mention) {
      tokens.push(mention.token);
      pos = mention.end;
      continue;
    }

    const first = s[pos];
    if (isQuote(first)) {
      const quoted = readQuoted(s, pos + 1, first);
      const tailEnd = readBare(s, quoted.end);
      tokens.push({ kind: "word", value: decodeSlackEntities(quoted.value + s.slice(quoted.end, tailEnd)) });
      pos = tailEnd;
      continue;
    }

    const keyMatch = /^[A-Za-z]+:/.exec(s.slice(pos, pos + 40));
    if (keyMatch) {
      const key = keyMatch[0].slice(0, -1).toLowerCase();
      const valueStart = pos + keyMatch[0].length;
      const next = s[valueStart];
      if (isQuote(next)) {
        const quoted = readQuoted(s, valueStart + 1, next);
        const tailEnd = readBare(s, quoted.end);
        tokens.push({ kind: "option", key, value: decodeSlackEntities(quoted.value + s.slice(quoted.end, tailEnd)) });
        pos = tailEnd;
        continue;
      }
      // A mention as the value ("owner:<@U1>") stays inside the option; parseMention reads it.
      const valueMention = mentionAt(s, valueStart);
      const end = valueMention ? valueMention.end : readBare(s, valueStart);
      const value = s.slice(valueStart, end);
      const isUrl = URL_SCHEMES.has(key) || value.startsWith("//");
      if (value !== "" && !isUrl) {
        tokens.push({ kind: "option", key, value: valueMention ? value : decodeSlackEntities(value) });
        pos = end;
        continue;
      }
    }

    const end = readBare(s, pos);
    // readBare stops before a mention; a lone "<" that is not one still needs to advance.
    const stop = end === pos ? pos + 1 : end;
    tokens.push({ kind: "word", value: decodeSlackEntities(s.slice(pos, stop)) });
    pos = stop;
  }
  return tokens;
}

export type ParsedArgs = {
  tokens: Token[];
  /** Everything that is not an option, in order. */
  positional: Exclude<Token, { kind: "option" }>[];
  /** Options by key; a repeated key keeps the last value. A Map so keys like "constructor" are safe. */
  options: Map<string, string>;
  /** Plain word values, in order. */
  words: string[];
};

export function parseArgs(text: string): ParsedArgs {
  const tokens = tokenize(text);
  const positional: Exclude<Token, { kind: "option" }>[] = [];
  const options = new Map<string, string>();
  for (const t of tokens) {
    if (t.kind === "option") options.set(t.key, t.value);
    else positional.push(t);
  }
  const words = positional.flatMap((t) => (t.kind === "word" ? [t.value] : []));
  return { tokens, positional, options, words };
}

/** Re-joins word tokens into free text (e.g. a note), keeping mentions in Slack syntax. */
export function tokensToText(tokens: Token[]): string {
  return tokens
    .map((t) => {
      switch (t.kind) {
        case "word":
          return t.value;
        case "user":
          return `<@${t.id}>`;
        case "channel":
          return `<#${t.id}>`;
        case "usergroup":
          return `<!subteam^${t.id}>`;
        case "option":
          return `${t.key}:${t.value}`;
      }
    })
    .join(" ");
}
