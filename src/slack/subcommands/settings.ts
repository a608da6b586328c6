import { settingsModal } from "../blocks/settings-blocks.js";
import { errorReply } from "../blocks/reply-blocks.js";
import { openView } from "../open-view.js";
import type { Subcommand } from "./subcommand.js";

/** `/ae settings`: opens the reminder settings modal (time, days, language, zone, pause, skip dates). */
export const settings: Subcommand = {
  name: "settings",
  aliases: ["einstellungen", "prefs"],
  run: async ({ actor, t, client, triggerId, deps }) => {
    const opened = await openView(client, triggerId, settingsModal(actor.user, t), deps.logger);
    return opened ? undefined : errorReply(t, t("error.modalFailed"));
  },
};
