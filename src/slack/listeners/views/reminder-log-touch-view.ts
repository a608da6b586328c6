import type { App } from "@slack/bolt";
import { isTouchKind } from "../../../domain/touch-args.js";
import { MAX_NOTE } from "../../../services/touch-service.js";
import { REMINDER_ROW } from "../../blocks/reminder-blocks.js";
import { reminderTouchOrigin } from "../../blocks/reminder-log-touch-modal.js";
import { buttonValue, showInOrigin } from "../actions/row-button-support.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { clockTime, formatFor, touchKindText } from "../../blocks/reminder-format.js";
import type { AppDeps } from "../../deps.js";
import { REMINDER_TOUCH_MODAL, VIEWS } from "../../ids.js";
import { registerForm } from "../../form-submission.js";
import { stateSelected, stateText } from "../../view-state.js";

/**
 * The digest's log-touch modal was submitted: the touch is stored (Account.lastTouchAt moves with
 * it), the modal closes, and the digest row it came from shows "✓ Logged a call — 14:03".
 */
export function register(app: App, deps: AppDeps): void {
  registerForm(app, deps, {
    callbackId: VIEWS.reminderLogTouch,
    name: "digest log-touch",
    fallbackBlock: REMINDER_TOUCH_MODAL.kind,
    submit: async ({ actor, t, values, view, client }) => {
      const origin = buttonValue(view.private_metadata, reminderTouchOrigin);
      const kind = stateSelected(values, REMINDER_TOUCH_MODAL.kind) ?? "";
      const note = stateText(values, REMINDER_TOUCH_MODAL.note).trim();
      const errors: Record<string, string> = {};
      if (!isTouchKind(kind)) errors[REMINDER_TOUCH_MODAL.kind] = t("logTouch.error.kind");
      if (note.length > MAX_NOTE) errors[REMINDER_TOUCH_MODAL.note] = t("logTouch.error.noteTooLong", { max: MAX_NOTE });
      if (!origin) errors[REMINDER_TOUCH_MODAL.kind] = t("digest.invalidButton");
      if (Object.keys(errors).length > 0 || !origin || !isTouchKind(kind)) return { kind: "errors", errors };
      const principal = await deps.services.principal(actor);
      const result = await deps.services.reminderActions.logTouch(actor, principal, { accountId: origin.a, kind, note: note === "" ? null : note });
      if (result.kind !== "logged") {
        const message =
          result.kind === "invalid"
            ? t("logTouch.error.noteTooLong", { max: MAX_NOTE })
            : result.kind === "denied"
              ? t(`error.denied.${result.reason}`)
              : t("digest.notFound");
        return { kind: "errors", errors: { [result.kind === "invalid" ? REMINDER_TOUCH_MODAL.note : REMINDER_TOUCH_MODAL.kind]: message } };
      }
      const f = formatFor(actor, t);
      const done = t("digest.done.touch", { kind: touchKindText(t, kind), name: escapeMrkdwn(result.account.name), time: clockTime(f, result.touch.occurredAt) });
      // The confirmation is the digest row itself, replaced in place where the modal came from.
      return {
        kind: "saved",
        afterAck: () => showInOrigin(origin, REMINDER_ROW.account(origin.a), done, { actor, t, client, deps }).catch((error: unknown) => deps.logger.warn("could not update the digest after logging a touch", error)),
      };
    },
  });
}
