import type { AnyMiddlewareArgs, AllMiddlewareArgs, Middleware } from "@slack/bolt";

/** A UTF-16 surrogate without its partner: JSON payloads can carry them ("\ud83d"), Prisma cannot store them. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HAS_LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The text with every lone surrogate replaced by U+FFFD (what String.prototype.toWellFormed does). */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** Replaces lone surrogates in every string of a payload, in place (nested objects and arrays). */
export function scrubPayload(value: unknown, depth = 0): void {
  if (depth > 32 || typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (typeof v === "string") {
      if (HAS_LONE_SURROGATE.test(v)) record[key] = wellFormed(v);
    } else if (typeof v === "object" && v !== null) {
      scrubPayload(v, depth + 1);
    }
  }
}

/**
 * Global middleware: text from Slack (commands, modal inputs, events; Socket Mode envelopes and
 * interaction payloads are JSON, which can encode a lone surrogate) is made well-formed before
 * any listener reads it, so hostile input cannot make a database write or query fail.
 */
export function wellFormedText(): Middleware<AnyMiddlewareArgs> {
  return async (args: AnyMiddlewareArgs & AllMiddlewareArgs) => {
    scrubPayload(args.body);
    await args.next();
  };
}
