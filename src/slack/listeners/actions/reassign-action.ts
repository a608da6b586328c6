import type { App, BlockButtonAction } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { handoverButtonSchema, handoverWhat } from "../../blocks/handover-blocks.js";
import { doneReply, errorReply, textReply } from "../../blocks/reply-blocks.js";
import { previewReply, refusalReply } from "../../subcommands/reassign.js";
import type { Reply } from "../../subcommands/subcommand.js";
import { buttonValue, runButton, type ButtonArgs } from "./row-button-support.js";

/**
 * "Hand over" under a `/ae reassign` confirmation: checks the clicker's rights again and moves
 * exactly the rows the confirmation named, in one transaction — or, when they changed since,
 * nothing, showing the fresh confirmation instead. The answer replaces the confirmation (so it
 * cannot be clicked twice); both people are told by the "book.handed_over" subscriber.
 * "Cancel" replaces it with "Cancelled".
 */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.reassignConfirm, async (args: ButtonArgs) =>
    runButton(args, deps, "reassign confirm", async (actor, t) => {
      const value = buttonValue(args.action.type === "button" ? args.action.value : undefined, handoverButtonSchema);
      const answer = async (reply: Reply) => {
        await args.respond({ replace_original: true, response_type: "ephemeral", text: reply.text, blocks: reply.blocks });
      };
      if (!value) return answer(errorReply(t, t("reassign.badButton")));
      const principal = await deps.services.principal(actor);
      const outcome = await deps.services.handovers.confirm(
        actor.workspace,
        principal,
        { fromUserId: value.from, toUserId: value.to, scope: value.scope, fingerprint: value.fp },
        actor.user,
      );
      switch (outcome.kind) {
        case "moved":
          return answer(
            doneReply(t("reassign.done", { giver: `<@${outcome.from.slackUserId}>`, taker: `<@${outcome.to.slackUserId}>`, what: handoverWhat(t, outcome.counts) })),
          );
        case "changed":
          return answer(previewReply(t, outcome.now, t("reassign.changed")));
        case "unknown_user":
          return answer(errorReply(t, t("reassign.badButton")));
        default:
          return answer(refusalReply(t, outcome));
      }
    }),
  );
  app.action<BlockButtonAction>(ACTIONS.reassignCancel, async (args: ButtonArgs) =>
    runButton(args, deps, "reassign cancel", async (_actor, t) => {
      const reply = textReply(t("reassign.cancelled"));
      await args.respond({ replace_original: true, response_type: "ephemeral", text: reply.text, blocks: reply.blocks });
    }),
  );
}
