import { parseArgs } from "../../domain/command-args.js";
import { DEFAULT_HANDOVER_SCOPE, handoverScopeOf, type HandoverScope } from "../../domain/handover.js";
import type { Translator } from "../../i18n/translate.js";
import type { HandoverPreview, HandoverRefusal } from "../../services/handover-service.js";
import { handoverConfirmBlocks } from "../blocks/handover-blocks.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, errorReply, textReply } from "../blocks/reply-blocks.js";
import { slackProfileLookup } from "../slack-profile.js";
import type { Reply, Subcommand } from "./subcommand.js";

export const REASSIGN_EXAMPLE = "/ae reassign @dana @lee all";

/**
 * `/ae reassign @from @to [accounts|all]`: shows what would move and asks for confirmation (the
 * "Hand over" button, `listeners/actions/reassign-action.ts`, moves it). Nothing moves here.
 */
export const reassign: Subcommand = {
  name: "reassign",
  aliases: ["handover", "übergeben", "uebergeben"],
  run: async ({ actor, argsText, t, client, deps }) => {
    const args = parseArgs(argsText);
    const people: string[] = [];
    let scope: HandoverScope | null = null;
    for (const token of args.positional) {
      if (token.kind === "user" && people.length < 2) {
        people.push(token.id);
        continue;
      }
      const word = token.kind === "word" ? token.value : "";
      const parsed: HandoverScope | null = scope === null && people.length === 2 ? handoverScopeOf(word) : null;
      if (parsed === null) {
        const problem = word !== "" && people.length === 2 ? t("reassign.error.scope", { input: escapeMrkdwn(word.slice(0, 40)) }) : t("reassign.error.args");
        return errorReply(t, problem, REASSIGN_EXAMPLE);
      }
      scope = parsed;
    }
    if (args.options.size > 0 || people.length < 2) return errorReply(t, t("reassign.error.args"), REASSIGN_EXAMPLE);
    const principal = await deps.services.principal(actor);
    const preview = await deps.services.handovers.preview(
      actor.workspace,
      principal,
      { slackUserId: people[0]! },
      { slackUserId: people[1]! },
      scope ?? DEFAULT_HANDOVER_SCOPE,
      slackProfileLookup(client, deps.defaultTimezone),
    );
    return previewReply(t, preview);
  },
};

/** The confirmation, or why there is none. Also used when a stale confirmation is shown afresh. */
export function previewReply(t: Translator, preview: HandoverPreview, notice?: string): Reply {
  switch (preview.kind) {
    case "preview":
      return handoverConfirmBlocks(t, preview, notice);
    case "nothing":
      return textReply([notice, t("reassign.nothing", { giver: `<@${preview.from.slackUserId}>` })].filter(Boolean).join("\n"));
    default:
      return refusalReply(t, preview);
  }
}

export function refusalReply(t: Translator, r: HandoverRefusal): Reply {
  switch (r.kind) {
    case "denied":
      return deniedReply(t, r.reason);
    case "same_person":
      return errorReply(t, t("reassign.error.samePerson"), REASSIGN_EXAMPLE);
    case "inactive":
      return errorReply(t, t("reassign.error.inactive", { user: `<@${r.user.slackUserId}>` }), REASSIGN_EXAMPLE);
    case "unknown_user":
      return errorReply(t, t("manager.unknownUser", { user: "slackUserId" in r.ref && r.ref.slackUserId !== "" ? `<@${r.ref.slackUserId}>` : "?" }), REASSIGN_EXAMPLE);
  }
}
