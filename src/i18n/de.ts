import type { MessageKey } from "./en.js";
import { coreDe } from "./catalogs/core.de.js";

/** The German catalog, merged from catalogs/*.de.ts. */
export const de: Record<MessageKey, string> = {
  ...coreDe,
};
