import { isReminderEmpty } from "../../domain/reminder.js";
import { scheduleOf } from "../../services/reminder-service.js";
import { reminderMessage } from "../blocks/reminder-blocks.js";
import { dayAndTime, formatFor } from "../blocks/reminder-format.js";
import { textReply } from "../blocks/reply-blocks.js";
import type { Subcommand } from "./subcommand.js";

/**
 * `/ae today`: what the next reminder would say, built by the same service as the daily DM,
 * answered ephemerally (its buttons work the same). Nothing to say → a friendly "nothing needs you".
 */
export const today: Subcommand = {
  name: "today",
  aliases: ["heute", "digest"],
  run: async ({ actor, t, deps }) => {
    const now = deps.now();
    const built = await deps.services.reminders.forActor(actor, now);
    const f = formatFor(actor, t);
    const schedule = scheduleOf(actor.user, actor.zone);
    const next = await deps.services.reminders.nextReminderFor(actor, now);
    const note = schedule.paused ? t("today.paused") : next ? t("today.next", { when: dayAndTime(f, next.at) }) : "";
    if (isReminderEmpty(built.view)) return textReply([t("today.nothing"), note].filter(Boolean).join("\n"));
    const message = reminderMessage(built.view, f, { title: "today" });
    const blocks = message.blocks ?? [];
    // The digest's footer line speaks of the daily DM; here the schedule note says more.
    if (note) blocks.splice(blocks.length - 1, 1, { type: "context", elements: [{ type: "mrkdwn", text: note }] });
    return { text: message.text, blocks };
  },
};
