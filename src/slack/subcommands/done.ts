import type { Translator } from "../../i18n/translate.js";
import type { CompleteFollowUpResult } from "../../services/followup-service.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, doneReply, errorReply } from "../blocks/reply-blocks.js";
import type { Reply, Subcommand } from "./subcommand.js";

const EXAMPLE = "/ae done 12";

/** `/ae done <follow-up #>`: marks one of the actor's follow-ups done (numbers are in `/ae followups`). */
export const done: Subcommand = {
  name: "done",
  aliases: ["erledigt", "fertig"],
  run: async ({ actor, argsText, t, deps }) => {
    const m = /^#?(\d{1,12})$/.exec(argsText.trim());
    if (!m) {
      const problem = argsText.trim() === "" ? t("followups.error.whichOne") : t("followups.error.number", { input: escapeMrkdwn(argsText.trim().slice(0, 40)) });
      return errorReply(t, problem, EXAMPLE);
    }
    const principal = await deps.services.principal(actor);
    const result = await deps.services.followUps.complete(actor, principal, Number(m[1]));
    return completionReply(t, result, Number(m[1]));
  },
};

/** The answer to completing a follow-up, shared with the list's Done button. */
export function completionReply(t: Translator, result: CompleteFollowUpResult, id: number): Reply {
  switch (result.kind) {
    case "done":
      return {
        ...doneReply(t("followups.completed", { id, title: escapeMrkdwn(result.followUp.title), account: escapeMrkdwn(result.accountName) })),
        changed: true,
      };
    case "already_closed":
      return errorReply(t, t("followups.error.alreadyDone", { id, title: escapeMrkdwn(result.followUp.title) }));
    case "not_found":
      return errorReply(t, t("followups.error.notFound", { id }), "/ae followups");
    case "denied":
      return deniedReply(t, result.reason);
  }
}
