import type { App } from "@slack/bolt";
import { isLocalDate, localDateOf, startOfLocalDate } from "../../../domain/time.js";
import { dealCreatedReply } from "../../blocks/deal-blocks.js";
import { formatLocalDate } from "../../blocks/deal-format.js";
import { dealModalMetadata } from "../../blocks/deal-modal.js";
import { DEAL_MODAL, VIEWS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { registerForm } from "../../form-submission.js";
import { stateDate, stateSelected, stateText } from "../../view-state.js";
import { checkDealAmount, checkForecast, checkStage } from "../../subcommands/deal.js";

/**
 * The deal modal's submission: every field is checked and problems are shown inline next to the
 * field (response_action "errors"); only a valid deal is created, then the user is told where
 * they opened the modal and their Home tab refreshes.
 */
export function register(app: App, deps: AppDeps): void {
  registerForm(app, deps, {
    callbackId: VIEWS.deal,
    name: "deal",
    fallbackBlock: DEAL_MODAL.accountBlock,
    submit: async ({ actor, t, values, view }) => {
      const accountText = stateText(values, DEAL_MODAL.accountBlock, DEAL_MODAL.accountInput).trim();
      const amountText = stateText(values, DEAL_MODAL.amountBlock, DEAL_MODAL.amountInput);
      const stageValue = stateSelected(values, DEAL_MODAL.stageBlock, DEAL_MODAL.stageInput) ?? "prospect";
      const closeDate = stateDate(values, DEAL_MODAL.closeBlock, DEAL_MODAL.closeInput);
      // A form opened before the field existed has none: the stage decides, as before.
      const forecastValue = stateSelected(values, DEAL_MODAL.forecastBlock, DEAL_MODAL.forecastInput) ?? "auto";

      const errors: Record<string, string> = {};
      const amount = checkDealAmount(t, amountText, actor.locale);
      if (!amount.ok) errors[DEAL_MODAL.amountBlock] = amount.problem;
      const stage = checkStage(t, stageValue);
      if (!stage.ok) errors[DEAL_MODAL.stageBlock] = stage.problem;
      const forecast = checkForecast(t, forecastValue);
      if (!forecast.ok) errors[DEAL_MODAL.forecastBlock] = forecast.problem;
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
      if (Object.keys(errors).length > 0 || !resolution || resolution.kind !== "found" || !amount.ok || !stage.ok || !forecast.ok) return { kind: "errors", errors };
      const result = await deps.services.deals.create(actor, principal, resolution.account, {
        amountCents: amount.value,
        stage: stage.value,
        expectedCloseAt: closeDate ? startOfLocalDate(closeDate, actor.zone) : null,
        forecastCategory: forecast.value,
      });
      if (result.kind === "denied") return { kind: "errors", errors: { [DEAL_MODAL.accountBlock]: t(`error.denied.${result.reason}`) } };
      return { kind: "saved", confirm: dealCreatedReply(t, actor, result.deal), channelId: metadataOf(view.private_metadata).channelId };
    },
  });
}

function metadataOf(raw: string): { channelId: string } {
  try {
    const parsed = dealModalMetadata.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : { channelId: "" };
  } catch {
    return { channelId: "" };
  }
}
