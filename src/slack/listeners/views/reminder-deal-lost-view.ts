import type { App } from "@slack/bolt";
import { MAX_LOST_REASON } from "../../../services/deal-service.js";
import { REMINDER_ROW } from "../../blocks/reminder-blocks.js";
import { reminderDealOrigin } from "../../blocks/reminder-deal-lost-modal.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import type { AppDeps } from "../../deps.js";
import { REMINDER_LOST_MODAL, VIEWS } from "../../ids.js";
import { registerForm } from "../../form-submission.js";
import { stateText } from "../../view-state.js";
import { buttonValue, showInOrigin } from "../actions/row-button-support.js";
import { dealLookupProblem, openDealFor } from "../actions/reminder-deal-actions.js";

/**
 * The reminder's "Deal lost" modal was submitted: a reason is required (the modal stays open with
 * what was typed otherwise), the deal is marked lost through the deal service (recording the stage
 * change), and the reminder row it came from shows "✗ Acme marked lost — no budget".
 */
export function register(app: App, deps: AppDeps): void {
  registerForm(app, deps, {
    callbackId: VIEWS.reminderDealLost,
    name: "reminder deal lost",
    fallbackBlock: REMINDER_LOST_MODAL.reason,
    submit: async ({ actor, t, values, view, client }) => {
      const origin = buttonValue(view.private_metadata, reminderDealOrigin);
      const reason = stateText(values, REMINDER_LOST_MODAL.reason).trim();
      const field = REMINDER_LOST_MODAL.reason;
      if (!origin) return { kind: "errors", errors: { [field]: t("digest.invalidButton") } };
      if (reason === "") return { kind: "errors", errors: { [field]: t("digest.lost.error.empty") } };
      if (reason.length > MAX_LOST_REASON) return { kind: "errors", errors: { [field]: t("digest.lost.error.tooLong", { max: MAX_LOST_REASON }) } };
      const found = await openDealFor(actor, origin.d, deps);
      const problem = dealLookupProblem(found, t);
      if (problem !== null || found.kind !== "found") return { kind: "errors", errors: { [field]: problem ?? t("digest.notFound") } };
      const result = await deps.services.deals.lose(actor, found.deal, reason);
      if (result.kind === "closed") return { kind: "errors", errors: { [field]: dealLookupProblem(result, t) ?? t("digest.notFound") } };
      const done = t("digest.done.dealLost", { account: escapeMrkdwn(result.deal.accountName), reason: escapeMrkdwn(reason) });
      // The confirmation is the reminder row itself, replaced in place where the modal came from.
      return {
        kind: "saved",
        afterAck: () =>
          showInOrigin(origin, REMINDER_ROW.deal(origin.d), done, { actor, t, client, deps }).catch((error: unknown) =>
            deps.logger.warn("could not update the reminder after marking a deal lost", error),
          ),
      };
    },
  });
}
