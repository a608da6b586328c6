/**
 * What a catalog entry is: plain text, or plural forms chosen by the `count` param.
 *
 * - `one` / `other` are the CLDR plural categories of English and German (Intl.PluralRules);
 *   `{count}` in the chosen form is filled with the number like any other placeholder.
 * - `zero` is optional and NOT a CLDR category: it is used when `count` is exactly 0, for messages
 *   where the product says something else then ("due today" rather than "0 days overdue").
 */
export interface PluralMessage {
  readonly zero?: string;
  readonly one: string;
  readonly other: string;
}

export type Message = string | PluralMessage;

/** The plural forms of a plural message, in a fixed order. */
export const PLURAL_FORMS = ["zero", "one", "other"] as const;
export type PluralForm = (typeof PLURAL_FORMS)[number];

/**
 * The type of a translation of the English catalog `T`: the same keys; a plain string where English
 * has one, and exactly English's plural forms where English is plural.
 */
export type TranslationOf<T> = { [K in keyof T]: T[K] extends string ? string : { [F in keyof T[K]]: string } };

export function isPlural(message: Message): message is PluralMessage {
  return typeof message !== "string";
}
