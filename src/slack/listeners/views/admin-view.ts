import type { App } from "@slack/bolt";
import { canAdminister } from "../../../domain/authorization.js";
import { OPEN_STAGES } from "../../../domain/deal-stages.js";
import { STAGE_PROBABILITY_FIELD, type WorkspaceSettingField, type WorkspaceSettingsInput } from "../../../domain/workspace-settings.js";
import { adminErrors, currencyConfirmError, savedText } from "../../blocks/admin-blocks.js";
import { textReply } from "../../blocks/reply-blocks.js";
import type { AppDeps } from "../../deps.js";
import { registerForm } from "../../form-submission.js";
import { ADMIN_MODAL, VIEWS } from "../../ids.js";
import { stateChecked, stateSelected, stateText, type StateValues } from "../../view-state.js";

/** Fields added to the form after it first shipped, with their blocks: a form opened earlier lacks them. */
const LATER_FIELDS: readonly (readonly [WorkspaceSettingField, string])[] = [
  ...OPEN_STAGES.map((stage) => [STAGE_PROBABILITY_FIELD[stage], ADMIN_MODAL.stageProbability[stage]] as const),
  ["retentionTouchNotesMonths", ADMIN_MODAL.retentionNotes],
  ["retentionClosedDealsMonths", ADMIN_MODAL.retentionDeals],
  ["retentionDepartedMonths", ADMIN_MODAL.retentionDeparted],
  ["retentionGiftYears", ADMIN_MODAL.retentionGifts],
];

/** The text of each of `fields` whose block the submitted form has. */
function shownFields(values: StateValues, fields: typeof LATER_FIELDS): WorkspaceSettingsInput {
  return Object.fromEntries(fields.filter(([, block]) => Object.hasOwn(values, block)).map(([field, block]) => [field, stateText(values, block)]));
}

/**
 * The workspace settings modal was submitted. Problems are shown on their fields and the modal
 * stays open with what was typed; a currency change over stored amounts waits for the checkbox.
 * Saved settings close the modal, the admin gets a DM saying what changed, and their Home tab
 * refreshes. Authorization is checked again here: a modal can be submitted by a forged payload.
 */
export function register(app: App, deps: AppDeps): void {
  registerForm(app, deps, {
    callbackId: VIEWS.admin,
    name: "workspace settings",
    fallbackBlock: ADMIN_MODAL.currency,
    submit: async ({ actor, t, values }) => {
      const decision = canAdminister(await deps.services.principal(actor));
      if (!decision.allowed) return { kind: "errors", errors: { [ADMIN_MODAL.currency]: t(`error.denied.${decision.reason}`) } };
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
          dealStallDays: stateText(values, ADMIN_MODAL.dealStall),
          dealCloseSoonDays: stateText(values, ADMIN_MODAL.dealCloseSoon),
          dealNoTouchDays: stateText(values, ADMIN_MODAL.dealNoTouch),
          // Only the fields the form showed: one opened before a field existed leaves it as it is.
          ...shownFields(values, LATER_FIELDS),
        },
        { locale: actor.locale, confirmCurrencyChange: stateChecked(values, ADMIN_MODAL.currencyConfirm).includes("confirm") },
      );
      if (result.status === "invalid") return { kind: "errors", errors: adminErrors(result.errors, t) };
      if (result.status === "confirm_currency") return { kind: "errors", errors: currencyConfirmError(result, t) };
      // A modal opened from the Home tab or a command has no channel to answer in here: a DM.
      return { kind: "saved", confirm: textReply(`:white_check_mark: ${savedText(result.changed, t)}`) };
    },
  });
}
