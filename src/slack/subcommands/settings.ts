import { settingsModal } from "../blocks/settings-blocks.js";
import type { Subcommand } from "./subcommand.js";

/** `/ae settings`: opens the reminder settings modal (time, days, language, zone, pause, skip dates). */
export const settings: Subcommand = {
  name: "settings",
  aliases: ["einstellungen", "prefs"],
  run: async ({ actor, t, client, triggerId }) => {
    await client.views.open({ trigger_id: triggerId, view: settingsModal(actor.user, t) });
  },
};
