import type { App, webApi } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import { z } from "zod";
import { isReminderEmpty } from "../../../domain/reminder.js";
import { isTouchKind } from "../../../domain/touch-args.js";
import type { Translator } from "../../../i18n/translate.js";
import type { Actor } from "../../../services/actor-service.js";
import { MAX_NOTE } from "../../../services/touch-service.js";
import { reminderMessage, REMINDER_ROW, markRowDone } from "../../blocks/reminder-blocks.js";
import { reminderTouchOrigin, type ReminderTouchOrigin } from "../../blocks/reminder-log-touch-modal.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { clockTime, formatFor, touchKindText } from "../../blocks/reminder-format.js";
import type { AppDeps } from "../../deps.js";
import { REMINDER_TOUCH_MODAL, VIEWS } from "../../ids.js";
import { registerForm } from "../../form-submission.js";
import { stateSelected, stateText } from "../../view-state.js";

const blockList = z.array(z.looseObject({ type: z.string() }));

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
      const origin = parseOrigin(view.private_metadata);
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
        afterAck: () => showInOrigin(origin, done, actor, t, client, deps).catch((error: unknown) => deps.logger.warn("could not update the digest after logging a touch", error)),
      };
    },
  });
}

function parseOrigin(raw: string | undefined): ReminderTouchOrigin | null {
  try {
    const parsed = reminderTouchOrigin.safeParse(JSON.parse(raw ?? ""));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Marks the account's row done where the modal was opened from: the digest DM (its current blocks
 * are read back with conversations.history, so rows done earlier stay done), or an ephemeral
 * `/ae today` reply (rebuilt through its response_url). From Home, the Home refresh shows it.
 */
async function showInOrigin(origin: ReminderTouchOrigin, done: string, actor: Actor, t: Translator, client: webApi.WebClient, deps: AppDeps): Promise<void> {
  if (origin.c && origin.ts) {
    const history = await client.conversations.history({ channel: origin.c, latest: origin.ts, oldest: origin.ts, inclusive: true, limit: 1 });
    const message = (history.messages ?? []).find((m) => m.ts === origin.ts);
    const blocks = blockList.safeParse(message?.blocks);
    if (!message || !blocks.success) return;
    const updated = markRowDone(blocks.data as unknown as KnownBlock[], REMINDER_ROW.account(origin.a), done);
    await client.chat.update({ channel: origin.c, ts: origin.ts, text: message.text || done, blocks: updated });
    return;
  }
  if (origin.r) {
    const built = await deps.services.reminders.forActor(actor, deps.now());
    const doneBlock: KnownBlock = { type: "section", text: { type: "mrkdwn", text: done } };
    const body = isReminderEmpty(built.view)
      ? { replace_original: true, text: done, blocks: [doneBlock, { type: "context", elements: [{ type: "mrkdwn", text: t("today.nothing") }] }] }
      : (() => {
          const m = reminderMessage(built.view, formatFor(actor, t), { title: "today" });
          return { replace_original: true, text: m.text, blocks: [doneBlock, ...(m.blocks ?? [])].slice(0, 50) };
        })();
    await fetch(origin.r, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  }
}
