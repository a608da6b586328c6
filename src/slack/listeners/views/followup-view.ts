import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { localDateOf } from "../../../domain/time.js";
import { translator, type Translator } from "../../../i18n/translate.js";
import { formatLocalDay } from "../../blocks/account-format.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import type { AppDeps } from "../../deps.js";
import { FOLLOWUP_MODAL, VIEWS } from "../../ids.js";
import { confirmSaved, decodeModalMetadata, emitChanged } from "../../modals/account-modals.js";
import { slackProfileLookup } from "../../slack-profile.js";
import { followUpProblemText } from "../../subcommands/followup.js";
import { stateDate, stateId, stateText } from "../../view-state.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The follow-up modal was submitted: problems go onto their fields; on success the modal closes. */
export function register(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>(VIEWS.followUp, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, view, client }: Args, deps: AppDeps): Promise<void> {
  let t: Translator = translator("en");
  let acked = false;
  try {
    const actor = await deps.services.actors.resolve(body.team?.id ?? body.user.team_id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    t = translator(actor.language);
    const values = view.state.values;
    const errors: Record<string, string> = {};
    const accountId = stateId(values, FOLLOWUP_MODAL.account);
    if (accountId === null) errors[FOLLOWUP_MODAL.account] = t("touches.error.pickAccount");
    const title = stateText(values, FOLLOWUP_MODAL.title);
    const dueDate = stateDate(values, FOLLOWUP_MODAL.due) ?? "";
    const invalid = deps.services.followUps.validate(actor, { title, dueDate });
    if (invalid) errors[invalid.field === "title" ? FOLLOWUP_MODAL.title : FOLLOWUP_MODAL.due] = followUpProblemText(t, invalid.problem);
    if (Object.keys(errors).length > 0 || accountId === null) {
      acked = true;
      await ack({ response_action: "errors", errors });
      return;
    }
    const principal = await deps.services.principal(actor);
    const result = await deps.services.followUps.create(actor, principal, { accountId, title, dueDate });
    if (result.kind !== "created") {
      const errors2 =
        result.kind === "invalid"
          ? { [result.field === "title" ? FOLLOWUP_MODAL.title : FOLLOWUP_MODAL.due]: followUpProblemText(t, result.problem) }
          : { [FOLLOWUP_MODAL.account]: result.kind === "denied" ? t(`error.denied.${result.reason}`) : t("touches.error.accountGone") };
      acked = true;
      await ack({ response_action: "errors", errors: errors2 });
      return;
    }
    acked = true;
    await ack();
    await emitChanged(actor, deps);
    const text = t("followups.created", {
      id: result.followUp.id,
      account: escapeMrkdwn(result.account.name),
      title: escapeMrkdwn(result.followUp.title),
      date: formatLocalDay(localDateOf(result.followUp.dueAt, actor.zone), actor.locale),
    });
    await confirmSaved(client, actor, decodeModalMetadata(view.private_metadata).c, `:white_check_mark: ${text}`, deps);
  } catch (error) {
    deps.logger.error("follow-up submission failed", error);
    if (!acked) await ack({ response_action: "errors", errors: { [FOLLOWUP_MODAL.account]: t("error.internal") } }).catch(() => undefined);
  }
}
