import { coreEn } from "./catalogs/core.en.js";

/**
 * The English catalog: one file per feature under catalogs/, merged here. Each feature's German
 * file is typed Record<keyof typeof <feature>En, string>, so a missing key is a type error, and
 * test/i18n checks keys and placeholders match.
 */
export const en = {
  ...coreEn,
} as const;

export type MessageKey = keyof typeof en;
