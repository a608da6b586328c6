import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { isLocalDate, localDateOf } from "../../../domain/time.js";
import { isTouchKind } from "../../../domain/touch-args.js";
import { translator, type Translator } from "../../../i18n/translate.js";
import { occurredAtOn } from "../../../services/touch-service.js";
import type { AppDeps } from "../../deps.js";
import { TOUCH_MODAL } from "../../ids.js";
import { confirmSaved, decodeModalMetadata, emitChanged } from "../../modals/account-modals.js";
import { slackProfileLookup } from "../../slack-profile.js";
import { loggedText, touchProblemText } from "../../subcommands/log.js";
import { stateDate, stateId, stateSelected, stateText, stateUsers } from "../../view-state.js";

export type TouchViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * A submitted log-touch or message-touch modal (same fields; the message one has no date or
 * participants and records the message's permalink). Problems go back onto their fields; the
 * modal stays open with everything typed.
 */
export async function submitTouch({ ack, body, view, client }: TouchViewArgs, deps: AppDeps, source: "modal" | "message"): Promise<void> {
  let t: Translator = translator("en");
  let acked = false;
  try {
    const actor = await deps.services.actors.resolve(body.team?.id ?? body.user.team_id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    t = translator(actor.language);
    const values = view.state.values;
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
    if (Object.keys(errors).length > 0 || accountId === null || !isTouchKind(kind) || date === null) {
      acked = true;
      await ack({ response_action: "errors", errors });
      return;
    }
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
      acked = true;
      await ack({ response_action: "errors", errors: { [field]: message } });
      return;
    }
    acked = true;
    await ack();
    await emitChanged(actor, deps);
    await confirmSaved(client, actor, meta.c, `:white_check_mark: ${loggedText(t, result.account.name, kind, result.participants)}`, deps);
  } catch (error) {
    deps.logger.error(`${source} touch submission failed`, error);
    if (!acked) await ack({ response_action: "errors", errors: { [TOUCH_MODAL.account]: t("error.internal") } }).catch(() => undefined);
  }
}

/** When a Slack message was posted (its ts is epoch seconds), or now when the ts is unusable. */
function messageTime(ts: string | undefined, now: Date): Date {
  const seconds = ts !== undefined && /^\d{9,11}(\.\d{1,6})?$/.test(ts) ? Number(ts) : NaN;
  return Number.isFinite(seconds) && seconds * 1000 <= now.getTime() ? new Date(seconds * 1000) : now;
}
