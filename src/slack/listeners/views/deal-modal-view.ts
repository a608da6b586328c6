import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { isLocalDate, localDateOf, startOfLocalDate } from "../../../domain/time.js";
import { translator } from "../../../i18n/translate.js";
import { dealCreatedReply } from "../../blocks/deal-blocks.js";
import { formatLocalDate } from "../../blocks/deal-format.js";
import { dealModalMetadata } from "../../blocks/deal-modal.js";
import { DEAL_MODAL, VIEWS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { slackProfileLookup } from "../../slack-profile.js";
import { checkDealAmount, checkStage } from "../../subcommands/deal.js";
import { notifyUser } from "./deal-notify.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The deal modal's submission: every field is checked and problems are shown inline next to the
 * field (response_action "errors"); only a valid deal is created, then the user is told where
 * they opened the modal and their Home tab refreshes.
 */
export function register(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>(VIEWS.deal, async (args: Args) => handle(args, deps));
}

function metadataOf(raw: string): { channelId: string } {
  try {
    const parsed = dealModalMetadata.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : { channelId: "" };
  } catch {
    return { channelId: "" };
  }
}

async function handle({ ack, body, view, client }: Args, deps: AppDeps): Promise<void> {
  let acked = false;
  let t = translator("en");
  try {
    const actor = await deps.services.actors.resolve(body.team?.id ?? body.user.team_id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    t = translator(actor.language);
    const values = view.state.values;
    const accountText = (values[DEAL_MODAL.accountBlock]?.[DEAL_MODAL.accountInput]?.value ?? "").trim();
    const amountText = values[DEAL_MODAL.amountBlock]?.[DEAL_MODAL.amountInput]?.value ?? "";
    const stageValue = values[DEAL_MODAL.stageBlock]?.[DEAL_MODAL.stageInput]?.selected_option?.value ?? "prospect";
    const closeDate = values[DEAL_MODAL.closeBlock]?.[DEAL_MODAL.closeInput]?.selected_date ?? null;

    const errors: Record<string, string> = {};
    const amount = checkDealAmount(t, amountText, actor.locale);
    if (!amount.ok) errors[DEAL_MODAL.amountBlock] = amount.problem;
    const stage = checkStage(t, stageValue);
    if (!stage.ok) errors[DEAL_MODAL.stageBlock] = stage.problem;
    // A datepicker sends YYYY-MM-DD, but the payload is not trusted: anything else is refused.
    if (closeDate !== null && !isLocalDate(closeDate)) {
      errors[DEAL_MODAL.closeBlock] = t("deal.badClose", { input: String(closeDate).slice(0, 60) });
    } else if (closeDate !== null && closeDate < localDateOf(deps.now(), actor.zone)) {
      errors[DEAL_MODAL.closeBlock] = t("deal.closePast", { date: formatLocalDate(closeDate, actor.locale) });
    }
    const principal = await deps.services.principal(actor);
    const resolution = accountText === "" ? null : await deps.services.accountResolver.resolve(actor, principal, accountText);
    if (!resolution || resolution.kind === "none") {
      errors[DEAL_MODAL.accountBlock] = t("deal.modal.accountNotFound", { query: accountText.slice(0, 100) });
    } else if (resolution.kind === "ambiguous") {
      errors[DEAL_MODAL.accountBlock] = t("deal.modal.accountAmbiguous", { names: resolution.candidates.slice(0, 5).map((a) => a.name).join(", ") });
    } else if (resolution.kind === "denied") {
      errors[DEAL_MODAL.accountBlock] = t(`error.denied.${resolution.reason}`);
    }
    if (Object.keys(errors).length > 0 || !resolution || resolution.kind !== "found" || !amount.ok || !stage.ok) {
      acked = true;
      await ack({ response_action: "errors", errors });
      return;
    }
    const result = await deps.services.deals.create(actor, principal, resolution.account, {
      amountCents: amount.value,
      stage: stage.value,
      expectedCloseAt: closeDate ? startOfLocalDate(closeDate, actor.zone) : null,
    });
    if (result.kind === "denied") {
      acked = true;
      await ack({ response_action: "errors", errors: { [DEAL_MODAL.accountBlock]: t(`error.denied.${result.reason}`) } });
      return;
    }
    acked = true;
    await ack();
    await notifyUser(client, body.user.id, metadataOf(view.private_metadata).channelId, dealCreatedReply(t, actor, result.deal));
    await deps.services.events.emit("user.changed", { workspaceId: actor.workspace.id, userId: actor.user.id, slackUserId: actor.user.slackUserId });
  } catch (error) {
    deps.logger.error("deal modal submission failed", error);
    if (!acked) await ack({ response_action: "errors", errors: { [DEAL_MODAL.accountBlock]: t("error.internal") } }).catch(() => undefined);
  }
}
