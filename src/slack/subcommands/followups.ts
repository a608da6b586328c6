import { tokenize } from "../../domain/command-args.js";
import { followUpListBlocks, FOLLOWUPS_PAGE_SIZE } from "../blocks/followup-list-blocks.js";
import { errorReply } from "../blocks/reply-blocks.js";
import type { Subcommand } from "./subcommand.js";

/** `/ae followups [page:<n>]`: the actor's open follow-ups, overdue first, each with a Done button. */
export const followups: Subcommand = {
  name: "followups",
  aliases: ["fus", "follow-ups", "wiedervorlagen"],
  run: async ({ actor, argsText, t, deps }) => {
    let page = 1;
    for (const token of tokenize(argsText)) {
      const pageOption = token.kind === "option" && (token.key === "page" || token.key === "seite");
      if (!pageOption || !/^\d{1,4}$/.test(token.value) || Number(token.value) < 1) {
        return errorReply(t, t("followups.error.args"), "/ae followups");
      }
      page = Number(token.value);
    }
    const result = await deps.services.followUps.listOpen(actor, { offset: (page - 1) * FOLLOWUPS_PAGE_SIZE, limit: FOLLOWUPS_PAGE_SIZE });
    return followUpListBlocks(t, actor, result, deps.now());
  },
};
