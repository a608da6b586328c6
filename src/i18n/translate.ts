import { de } from "./de.js";
import { en, type MessageKey } from "./en.js";
import { isPlural, type Message, type PluralMessage } from "./message.js";

export type Language = "en" | "de";
export type { MessageKey };

const CATALOGS: Record<Language, Record<MessageKey, Message>> = { en, de };

/** The language for a Slack locale ("de-DE", "de-AT" → de), unless the user chose one. */
export function languageFor(locale: string | null | undefined, override?: string | null): Language {
  if (override === "en" || override === "de") return override;
  return locale?.toLowerCase().startsWith("de") ? "de" : "en";
}

export type Params = Record<string, string | number>;

/** Keys whose English entry has plural forms: they need a numeric `count`. */
export type PluralKey = { [K in MessageKey]: (typeof en)[K] extends string ? never : K }[MessageKey];

/** A plural key must be given `{ count: number }`; any other key takes optional params. */
export type ParamsFor<K extends MessageKey> = [K] extends [PluralKey] ? [params: Params & { count: number }] : [params?: Params];

const pluralRules = new Map<Language, Intl.PluralRules>();

function rulesFor(language: Language): Intl.PluralRules {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  return rules;
}

/** The form of a plural message for `count`: `zero` for exactly 0 when the message has one, else the language's category. */
export function pluralForm(language: Language, message: PluralMessage, count: unknown): string {
  if (typeof count !== "number" || !Number.isFinite(count)) return message.other;
  if (count === 0 && message.zero !== undefined) return message.zero;
  return rulesFor(language).select(count) === "one" ? message.one : message.other;
}

/**
 * Looks up `key` and fills `{name}` placeholders. A plural entry is first narrowed to one form by
 * `params.count` (see message.ts). Unknown placeholders stay visible, for tests.
 */
export function translate<K extends MessageKey>(language: Language, key: K, ...[params = {}]: ParamsFor<K>): string {
  const entry: Message = CATALOGS[language][key] ?? en[key];
  const template = isPlural(entry) ? pluralForm(language, entry, params.count) : entry;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** `t("digest.summary.followUps", { count: n })`; plain keys as before: `t("help.title")`. */
export type Translator = <K extends MessageKey>(key: K, ...params: ParamsFor<K>) => string;

export function translator(language: Language): Translator {
  return (key, ...params) => translate(language, key, ...params);
}

export const catalogs = CATALOGS;
