import { openAndMigrate } from "../../bootstrap.js";
import { loadDatabaseConfig } from "../../config/load-config.js";
import { isReminderEmpty } from "../../domain/reminder.js";
import { reminderStatus } from "../../domain/reminder-schedule.js";
import { translator } from "../../i18n/translate.js";
import { createLogger } from "../../logger.js";
import { scheduleOf } from "../../services/reminder-service.js";
import { createServices } from "../../services/services.js";
import { blocksAsText, reminderMessage } from "../../slack/blocks/reminder-blocks.js";
import { dayAndTime, formatFor } from "../../slack/blocks/reminder-format.js";
import type { CliCommand, CliIo } from "../cli-command.js";

const USAGE = "ae-assistant reminders preview --user <slack id> [--at <ISO instant>]";

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i !== -1) return argv[i + 1];
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** Mrkdwn → terminal text: bold markers and entity escapes removed. */
function plain(text: string): string {
  return text
    .replace(/\*([^*\n]+)\*/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

async function preview(argv: string[], io: CliIo): Promise<number> {
  const user = option(argv, "--user");
  if (!user || user.startsWith("--")) {
    io.err(`Whose digest? Give a Slack user id.\nUsage: ${USAGE}`);
    return 2;
  }
  const atText = option(argv, "--at");
  const at = atText === undefined ? new Date() : new Date(atText);
  if (Number.isNaN(at.getTime()) || (atText !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(atText))) {
    io.err(`--at needs an ISO instant such as 2026-11-02T14:00:00Z, not "${atText ?? ""}".`);
    return 2;
  }
  const config = loadDatabaseConfig(io.env);
  const logger = createLogger("warn", (line) => io.err(line));
  const db = await openAndMigrate(config.databaseUrl, logger);
  try {
    const services = createServices(db, { defaultTimezone: config.defaultTimezone, now: () => at, logger });
    const built = await services.reminders.forSlackUser(user, at);
    if (!built) {
      io.err(`No user ${user} in the database (users are added when they first use /ae).`);
      return 1;
    }
    const { target, view } = built;
    const t = translator(target.language);
    const f = formatFor(target, t);
    const status = reminderStatus(scheduleOf(target.user, target.zone), at);
    io.out(`Digest for ${target.user.name ?? user} (${user}) · ${target.zone} · ${target.language} · local date ${view.localDate}`);
    io.out(
      status.due
        ? `Due now (reminder at ${dayAndTime(f, status.at)}); nothing is sent by this preview.`
        : `Not due at ${at.toISOString()} (${status.reason}${status.at ? `, reminder at ${dayAndTime(f, status.at)}` : ""}); nothing is sent by this preview.`,
    );
    io.out("");
    if (isReminderEmpty(view)) {
      io.out(plain(t("today.nothing")));
      io.out("(An empty digest is recorded as skipped; no DM is sent.)");
      return 0;
    }
    io.out(plain(blocksAsText(reminderMessage(view, f))));
    return 0;
  } finally {
    await db.close();
  }
}

/** `ae-assistant reminders preview --user <id> [--at <ISO>]`: prints a digest without sending it. */
export const remindersCommand: CliCommand = {
  name: "reminders",
  summary: "print the daily digest a user would get (nothing is sent)",
  usage: "ae-assistant reminders preview --user <id> [--at <ISO>]",
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === "preview") return preview(rest, io);
    io.err(`Usage: ${USAGE}`);
    return 2;
  },
};
