import type { Translator } from "../../i18n/translate.js";
import type { RepLookup } from "../../services/manager-view-service.js";
import { deniedReply, errorReply } from "../blocks/reply-blocks.js";
import type { Reply } from "./subcommand.js";

/**
 * The answer when a mentioned person cannot be shown: someone the app does not know yet (they
 * never used it and own nothing), or someone the actor may not look at (the usual refusal).
 */
export function repFailureReply(t: Translator, failure: Exclude<RepLookup, { kind: "ok" }>, example: string): Reply {
  if (failure.kind === "denied") return deniedReply(t, failure.reason);
  return errorReply(t, t("manager.unknownUser", { user: `<@${failure.slackUserId}>` }), example);
}
