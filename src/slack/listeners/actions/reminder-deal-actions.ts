import type { App } from "@slack/bolt";
import type { Deal } from "../../../db/repositories/deal-repository.js";
import { isLocalDate } from "../../../domain/time.js";
import type { DealLookup } from "../../../services/deal-service.js";
import type { Translator } from "../../../i18n/translate.js";
import type { Actor } from "../../../services/actor-service.js";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { dealButtonValue, dealIdOfActionsBlock, dealStageValue, REMINDER_ROW } from "../../blocks/reminder-blocks.js";
import { reminderDealLostModal } from "../../blocks/reminder-deal-lost-modal.js";
import { stageLabel } from "../../blocks/deal-blocks.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { dayLabel, formatFor, money } from "../../blocks/reminder-format.js";
import { openViewFromClick } from "../../open-view.js";
import { emitUserChanged } from "../../user-changed.js";
import { buttonValue, originOf, registerRowAction, registerRowButton, showDone, type RowButtonInput } from "./row-button-support.js";

/** Why a deal lookup found nothing to act on, in words; null when it found an open deal. */
export function dealLookupProblem(found: DealLookup, t: Translator): string | null {
  if (found.kind === "found") return null;
  if (found.kind === "denied") return `${t(`error.denied.${found.reason}`)} ${t("error.nothingChanged")}`;
  if (found.kind === "closed") {
    const params = { id: found.deal.id, account: escapeMrkdwn(found.deal.accountName) };
    return `${t(found.deal.status === "won" ? "deal.alreadyWon" : "deal.alreadyLost", params)} ${t("error.nothingChanged")}`;
  }
  return t("digest.notFound");
}

/** The open deal a reminder row acts on, when the clicker may change it. */
export async function openDealFor(actor: Actor, dealId: number, deps: AppDeps): Promise<DealLookup> {
  return deps.services.deals.find(actor, await deps.services.principal(actor), { kind: "number", id: dealId });
}

/**
 * The shape of every deal-row action: find the open deal (refusing with a reason), `act`, and
 * show what was done in place of the row. `act` returns the done line, or a refusal to tell.
 */
async function onDeal<V>(
  input: RowButtonInput<V>,
  dealId: number,
  deps: AppDeps,
  act: (deal: Deal) => Promise<{ done: string } | { refused: string }>,
): Promise<void> {
  const { actor, t, source, args, tell } = input;
  const found = await openDealFor(actor, dealId, deps);
  const problem = dealLookupProblem(found, t);
  if (problem !== null || found.kind !== "found") return tell(problem ?? t("digest.notFound"));
  const outcome = await act(found.deal);
  if ("refused" in outcome) return tell(outcome.refused);
  await showDone(source, REMINDER_ROW.deal(dealId), outcome.done, { actor, t, client: args.client, respond: args.respond, deps });
  await emitUserChanged(actor, deps);
}

/**
 * The buttons of a reminder's "Deals that need attention" row: Push 1 week, the date picker, Won,
 * Lost (opens the reason modal) and the stage select. Each goes through the deal service (so
 * stage changes are recorded in the deal's history) and replaces the row by what was done.
 */
export function register(app: App, deps: AppDeps): void {
  const closed = (t: Translator, deal: Deal) => ({ refused: dealLookupProblem({ kind: "closed", deal }, t) ?? t("digest.notFound") });

  const push = (input: RowButtonInput<unknown>, dealId: number, date: string | "week") =>
    onDeal(input, dealId, deps, async (deal) => {
      const { actor, t } = input;
      const f = formatFor(actor, t);
      const result = await deps.services.deals.pushCloseDate(actor, deal, date);
      if (result.kind === "closed") return closed(t, result.deal);
      if (result.kind === "past") {
        const example = dayLabel(f, deps.services.deals.pushTarget(actor, deal));
        return { refused: t("digest.deals.pushPast", { date: dayLabel(f, result.date), example }) };
      }
      return { done: t("digest.done.dealPushed", { account: escapeMrkdwn(result.deal.accountName), date: dayLabel(f, result.date) }) };
    });

  registerRowButton(app, deps, {
    actionIds: [ACTIONS.dealPushWeek],
    name: "reminder deal push a week",
    schema: dealButtonValue,
    run: (input) => push(input, input.value.d, "week"),
  });

  registerRowAction(app, deps, {
    actionIds: [ACTIONS.dealPushDate],
    name: "reminder deal push to a date",
    read: (action) => {
      const dealId = dealIdOfActionsBlock(action.block_id);
      const date = action.type === "datepicker" ? action.selected_date : null;
      return dealId !== null && date && isLocalDate(date) ? { dealId, date } : null;
    },
    run: (input) => push(input, input.value.dealId, input.value.date),
  });

  registerRowButton(app, deps, {
    actionIds: [ACTIONS.dealWon],
    name: "reminder deal won",
    schema: dealButtonValue,
    run: (input) =>
      onDeal(input, input.value.d, deps, async (deal) => {
        const result = await deps.services.deals.win(input.actor, deal);
        if (result.kind === "closed") return closed(input.t, result.deal);
        const f = formatFor(input.actor, input.t);
        return { done: input.t("digest.done.dealWon", { account: escapeMrkdwn(result.deal.accountName), amount: money(f, result.deal.amountCents) }) };
      }),
  });

  registerRowAction(app, deps, {
    actionIds: [ACTIONS.dealStage],
    name: "reminder deal stage",
    read: (action) => (action.type === "static_select" ? buttonValue(action.selected_option?.value, dealStageValue) : null),
    run: (input) =>
      onDeal(input, input.value.d, deps, async (deal) => {
        const { actor, t } = input;
        const result = await deps.services.deals.setStage(actor, deal, input.value.s);
        if (result.kind === "closed") return closed(t, result.deal);
        const from = result.kind === "moved" ? result.from : deal.stage;
        return { done: t("digest.done.dealStage", { account: escapeMrkdwn(result.deal.accountName), from: stageLabel(t, from), to: stageLabel(t, result.deal.stage) }) };
      }),
  });

  registerRowButton(app, deps, {
    actionIds: [ACTIONS.dealLost],
    name: "reminder deal lost",
    schema: dealButtonValue,
    run: async ({ value, actor, t, source, args, tell }) => {
      const found = await openDealFor(actor, value.d, deps);
      const problem = dealLookupProblem(found, t);
      if (problem !== null || found.kind !== "found") return tell(problem ?? t("digest.notFound"));
      await openViewFromClick(
        { client: args.client, triggerId: args.body.trigger_id, userId: actor.user.slackUserId, channelId: source.kind === "message" ? source.channel : undefined },
        reminderDealLostModal(found.deal, { d: value.d, ...originOf(source) }, formatFor(actor, t)),
        t,
        deps,
      );
    },
  });
}
