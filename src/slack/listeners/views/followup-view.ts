import type { App } from "@slack/bolt";
import { localDateOf } from "../../../domain/time.js";
import { formatLocalDay } from "../../blocks/account-format.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { textReply } from "../../blocks/reply-blocks.js";
import type { AppDeps } from "../../deps.js";
import { registerForm } from "../../form-submission.js";
import { FOLLOWUP_MODAL, VIEWS } from "../../ids.js";
import { decodeModalMetadata } from "../../modals/account-modals.js";
import { followUpProblemText } from "../../subcommands/followup.js";
import { stateDate, stateId, stateText } from "../../view-state.js";

/** The follow-up modal was submitted: problems go onto their fields; on success the modal closes. */
export function register(app: App, deps: AppDeps): void {
  registerForm(app, deps, {
    callbackId: VIEWS.followUp,
    name: "follow-up",
    fallbackBlock: FOLLOWUP_MODAL.account,
    submit: async ({ actor, t, values, view }) => {
      const errors: Record<string, string> = {};
      const accountId = stateId(values, FOLLOWUP_MODAL.account);
      if (accountId === null) errors[FOLLOWUP_MODAL.account] = t("touches.error.pickAccount");
      const title = stateText(values, FOLLOWUP_MODAL.title);
      const dueDate = stateDate(values, FOLLOWUP_MODAL.due) ?? "";
      const invalid = deps.services.followUps.validate(actor, { title, dueDate });
      if (invalid) errors[invalid.field === "title" ? FOLLOWUP_MODAL.title : FOLLOWUP_MODAL.due] = followUpProblemText(t, invalid.problem);
      if (Object.keys(errors).length > 0 || accountId === null) return { kind: "errors", errors };
      const principal = await deps.services.principal(actor);
      const result = await deps.services.followUps.create(actor, principal, { accountId, title, dueDate });
      if (result.kind === "invalid") {
        return { kind: "errors", errors: { [result.field === "title" ? FOLLOWUP_MODAL.title : FOLLOWUP_MODAL.due]: followUpProblemText(t, result.problem) } };
      }
      if (result.kind !== "created") {
        return { kind: "errors", errors: { [FOLLOWUP_MODAL.account]: result.kind === "denied" ? t(`error.denied.${result.reason}`) : t("touches.error.accountGone") } };
      }
      const text = t("followups.created", {
        id: result.followUp.id,
        account: escapeMrkdwn(result.account.name),
        title: escapeMrkdwn(result.followUp.title),
        date: formatLocalDay(localDateOf(result.followUp.dueAt, actor.zone), actor.locale),
      });
      return { kind: "saved", confirm: textReply(`:white_check_mark: ${text}`), channelId: decodeModalMetadata(view.private_metadata).c ?? "" };
    },
  });
}
