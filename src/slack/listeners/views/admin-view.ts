import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { canAdminister } from "../../../domain/authorization.js";
import { translator } from "../../../i18n/translate.js";
import { adminErrors, currencyConfirmError, savedText } from "../../blocks/admin-blocks.js";
import type { AppDeps } from "../../deps.js";
import { ADMIN_MODAL, VIEWS } from "../../ids.js";
import { slackProfileLookup } from "../../slack-profile.js";
import { stateChecked, stateSelected, stateText } from "../../view-state.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The workspace settings modal was submitted. Problems are shown on their fields and the modal
 * stays open with what was typed; a currency change over stored amounts waits for the checkbox.
 * Saved settings close the modal, the admin gets a DM saying what changed, and their Home tab
 * refreshes. Authorization is checked again here: a modal can be submitted by a forged payload.
 */
export function register(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>(VIEWS.admin, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, view, client }: Args, deps: AppDeps): Promise<void> {
  let acked = false;
  try {
    const actor = await deps.services.actors.resolve(body.team?.id ?? body.user.team_id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    const t = translator(actor.language);
    const decision = canAdminister(await deps.services.principal(actor));
    if (!decision.allowed) {
      acked = true;
      await ack({ response_action: "errors", errors: { [ADMIN_MODAL.currency]: t(`error.denied.${decision.reason}`) } });
      return;
    }
    const values = view.state.values;
    const result = await deps.services.workspaceSettings.update(
      actor.workspace,
      {
        currency: stateText(values, ADMIN_MODAL.currency),
        fiscalYearStartMonth: stateSelected(values, ADMIN_MODAL.fiscalStart) ?? "",
        timezone: stateText(values, ADMIN_MODAL.timezone),
        paceMode: stateSelected(values, ADMIN_MODAL.pace) ?? "",
        neglectKeyDays: stateText(values, ADMIN_MODAL.neglectKey),
        neglectGrowthDays: stateText(values, ADMIN_MODAL.neglectGrowth),
        neglectStandardDays: stateText(values, ADMIN_MODAL.neglectStandard),
        giftLimit: stateText(values, ADMIN_MODAL.giftLimit),
        giftYearMode: stateSelected(values, ADMIN_MODAL.giftYear) ?? "",
      },
      { locale: actor.locale, confirmCurrencyChange: stateChecked(values, ADMIN_MODAL.currencyConfirm).includes("confirm") },
    );
    if (result.status === "invalid") {
      acked = true;
      await ack({ response_action: "errors", errors: adminErrors(result.errors, t) });
      return;
    }
    if (result.status === "confirm_currency") {
      acked = true;
      await ack({ response_action: "errors", errors: currencyConfirmError(result, t) });
      return;
    }
    acked = true;
    await ack();
    // A modal has no channel to answer in: the confirmation goes to the admin's DM.
    await client.chat.postMessage({ channel: actor.user.slackUserId, text: `:white_check_mark: ${savedText(result.changed, t)}` });
    await deps.services.events.emit("user.changed", { workspaceId: actor.workspace.id, userId: actor.user.id, slackUserId: actor.user.slackUserId });
  } catch (error) {
    deps.logger.error("workspace settings submission failed", error);
    if (!acked) await ack({ response_action: "errors", errors: { [ADMIN_MODAL.currency]: translator("en")("error.internal") } }).catch(() => undefined);
  }
}
