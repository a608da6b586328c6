import type { en } from "./en.js";
import type { TranslationOf } from "./message.js";
import { coreDe } from "./catalogs/core.de.js";
import { accountsDe } from "./catalogs/accounts.de.js";
import { dealsDe } from "./catalogs/deals.de.js";
import { teamsDe } from "./catalogs/teams.de.js";
import { remindersDe } from "./catalogs/reminders.de.js";
import { homeDe } from "./catalogs/home.de.js";
import { settingsDe } from "./catalogs/settings.de.js";
import { adminDe } from "./catalogs/admin.de.js";
import { managerDe } from "./catalogs/manager.de.js";
import { privacyDe } from "./catalogs/privacy.de.js";
import { crmDe } from "./catalogs/crm.de.js";
import { pipelineDe } from "./catalogs/pipeline.de.js";

/** The German catalog, merged from catalogs/*.de.ts. */
export const de: TranslationOf<typeof en> = {
  ...coreDe,
  ...accountsDe,
  ...dealsDe,
  ...teamsDe,
  ...remindersDe,
  ...homeDe,
  ...settingsDe,
  ...adminDe,
  ...managerDe,
  ...privacyDe,
  ...crmDe,
  ...pipelineDe,
};
