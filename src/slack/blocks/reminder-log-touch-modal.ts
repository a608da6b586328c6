import type { PlainTextOption, View } from "@slack/types";
import { z } from "zod";
import { TOUCH_KINDS } from "../../domain/touch-args.js";
import type { Translator } from "../../i18n/translate.js";
import { REMINDER_TOUCH_MODAL, VIEWS } from "../ids.js";
import { escapeMrkdwn } from "./mrkdwn.js";
import { touchKindText } from "./reminder-format.js";
import { rowOrigin } from "./reminder-blocks.js";

/**
 * Where the modal was opened from (the account, and the reminder row's origin: DM channel and ts,
 * or an ephemeral reply's response_url), so the submission can update that row in place.
 */
export const reminderTouchOrigin = rowOrigin.extend({
  /** Account id. */
  a: z.number().int().positive(),
});
export type ReminderTouchOrigin = z.infer<typeof reminderTouchOrigin>;

function plain(text: string) {
  return { type: "plain_text" as const, text, emoji: true };
}

/** A small "log a touch" modal for one account: kind and an optional note. */
export function reminderLogTouchModal(accountName: string, origin: ReminderTouchOrigin, t: Translator, noteMax: number): View {
  const options: PlainTextOption[] = TOUCH_KINDS.map((k) => ({ text: plain(touchKindText(t, k)), value: k }));
  return {
    type: "modal",
    callback_id: VIEWS.reminderLogTouch,
    private_metadata: JSON.stringify(origin),
    title: plain(t("logTouch.title").slice(0, 24)),
    submit: plain(t("logTouch.submit").slice(0, 24)),
    close: plain(t("common.cancel").slice(0, 24)),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: t("logTouch.account", { name: escapeMrkdwn(accountName) }) } },
      {
        type: "input",
        block_id: REMINDER_TOUCH_MODAL.kind,
        label: plain(t("logTouch.kind")),
        element: { type: "static_select", action_id: REMINDER_TOUCH_MODAL.kind, options, initial_option: options[0] },
      },
      {
        type: "input",
        block_id: REMINDER_TOUCH_MODAL.note,
        optional: true,
        label: plain(t("logTouch.note")),
        element: { type: "plain_text_input", action_id: REMINDER_TOUCH_MODAL.note, multiline: true, max_length: noteMax, placeholder: plain(t("logTouch.notePlaceholder")) },
      },
    ],
  };
}
