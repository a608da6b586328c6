import { de } from "./de.js";
import { en, type MessageKey } from "./en.js";

export type Language = "en" | "de";
export type { MessageKey };

const CATALOGS: Record<Language, Record<MessageKey, string>> = { en, de };

/** The language for a Slack locale ("de-DE", "de-AT" → de), unless the user chose one. */
export function languageFor(locale: string | null | undefined, override?: string | null): Language {
  if (override === "en" || override === "de") return override;
  return locale?.toLowerCase().startsWith("de") ? "de" : "en";
}

export type Params = Record<string, string | number>;

/** Looks up `key` and fills `{name}` placeholders. Unknown placeholders stay visible, for tests. */
export function translate(language: Language, key: MessageKey, params: Params = {}): string {
  const template = CATALOGS[language][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export type Translator = (key: MessageKey, params?: Params) => string;

export function translator(language: Language): Translator {
  return (key, params) => translate(language, key, params);
}

export const catalogs = CATALOGS;
