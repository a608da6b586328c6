import { coreEn } from "./catalogs/core.en.js";
import { accountsEn } from "./catalogs/accounts.en.js";
import { dealsEn } from "./catalogs/deals.en.js";
import { teamsEn } from "./catalogs/teams.en.js";
import { remindersEn } from "./catalogs/reminders.en.js";
import { homeEn } from "./catalogs/home.en.js";
import { settingsEn } from "./catalogs/settings.en.js";
import { adminEn } from "./catalogs/admin.en.js";
import { managerEn } from "./catalogs/manager.en.js";
import { privacyEn } from "./catalogs/privacy.en.js";
import { crmEn } from "./catalogs/crm.en.js";
import { pipelineEn } from "./catalogs/pipeline.en.js";

/**
 * The English catalog: one file per feature under catalogs/, merged here. Each feature's German
 * file is typed TranslationOf<typeof <feature>En> (message.ts), so a missing key or plural form is a
 * type error, and test/i18n checks keys, plural forms and placeholders match.
 */
export const en = {
  ...coreEn,
  ...accountsEn,
  ...dealsEn,
  ...teamsEn,
  ...remindersEn,
  ...homeEn,
  ...settingsEn,
  ...adminEn,
  ...managerEn,
  ...privacyEn,
  ...crmEn,
  ...pipelineEn,
} as const;

export type MessageKey = keyof typeof en;
