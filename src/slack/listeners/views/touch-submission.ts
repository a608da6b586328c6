import { isLocalDate, localDateOf } from "../../../domain/time.js";
import { isTouchKind } from "../../../domain/touch-args.js";
import { occurredAtOn } from "../../../services/touch-service.js";
import type { AppDeps } from "../../deps.js";
import { textReply } from "../../blocks/reply-blocks.js";
import type { FormDefinition } from "../../form-submission.js";
import { TOUCH_MODAL, VIEWS } from "../../ids.js";
import { decodeModalMetadata } from "../../modals/account-modals.js";
import { loggedText, touchProblemText } from "../../subcommands/log.js";
import { stateDate, stateId, stateSelected, stateText, stateUsers } from "../../view-state.js";

/**
 * The log-touch and message-touch modals (same fields; the message one has no date or
 * participants and records the message's permalink). Problems go back onto their fields; the
 * modal stays open with everything typed.
 */
export function touchForm(deps: AppDeps, source: "modal" | "message"): FormDefinition {
  return {
    callbackId: source === "modal" ? VIEWS.logTouch : VIEWS.messageTouch,
    name: `${source} touch`,
    fallbackBlock: TOUCH_MODAL.account,
    submit: async ({ actor, t, values, view }) => {
      const meta = decodeModalMetadata(view.private_metadata);
      const errors: Record<string, string> = {};
      const accountId = stateId(values, TOUCH_MODAL.account);
      if (accountId === null) errors[TOUCH_MODAL.account] = t("touches.error.pickAccount");
      const kind = stateSelected(values, TOUCH_MODAL.kind) ?? "";
      if (!isTouchKind(kind)) errors[TOUCH_MODAL.kind] = t("touches.error.pickKind");
      const now = deps.now();
      const today = localDateOf(now, actor.zone);
      // A message's touch happened when the message was posted; the log modal asks for the day.
      const date = source === "modal" ? stateDate(values, TOUCH_MODAL.date) : today;
      if (date === null || !isLocalDate(date)) errors[TOUCH_MODAL.date] = t("touches.error.pickDate");
      else if (date > today) errors[TOUCH_MODAL.date] = t("touches.error.future");
      const participants = stateUsers(values, TOUCH_MODAL.participants).filter((u) => /^[UW][A-Z0-9]{1,20}$/.test(u));
      const note = stateText(values, TOUCH_MODAL.note).trim();
      const problem = deps.services.touches.validate({ note, participants });
      if (problem) errors[problem === "too_many_participants" ? TOUCH_MODAL.participants : TOUCH_MODAL.note] = touchProblemText(t, problem);
      if (Object.keys(errors).length > 0 || accountId === null || !isTouchKind(kind) || date === null) return { kind: "errors", errors };
      const principal = await deps.services.principal(actor);
      const result = await deps.services.touches.log(actor, principal, {
        accountId,
        kind,
        note: note === "" ? null : note,
        participants,
        occurredAt: source === "message" ? messageTime(meta.ts, now) : occurredAtOn(date, actor.zone, now),
        source,
        sourceRef: source === "message" ? (meta.p ?? (meta.c && meta.ts ? `${meta.c}/${meta.ts}` : null)) : null,
      });
      if (result.kind !== "logged") {
        const message =
          result.kind === "denied"
            ? t(`error.denied.${result.reason}`)
            : result.kind === "not_found"
              ? t("touches.error.accountGone")
              : touchProblemText(t, result.problem);
        const field = result.kind === "invalid" && result.problem === "in_future" ? TOUCH_MODAL.date : result.kind === "invalid" ? TOUCH_MODAL.note : TOUCH_MODAL.account;
        return { kind: "errors", errors: { [field]: message } };
      }
      return { kind: "saved", confirm: textReply(`:white_check_mark: ${loggedText(t, result.account.name, kind, result.participants)}`), channelId: meta.c ?? "" };
    },
  };
}

/** When a Slack message was posted (its ts is epoch seconds), or now when the ts is unusable. */
function messageTime(ts: string | undefined, now: Date): Date {
  const seconds = ts !== undefined && /^\d{9,11}(\.\d{1,6})?$/.test(ts) ? Number(ts) : NaN;
  return Number.isFinite(seconds) && seconds * 1000 <= now.getTime() ? new Date(seconds * 1000) : now;
}
