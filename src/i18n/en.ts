/** English catalog. Keys are shared with de.ts; a type check and a test keep them in step. */
export const en = {
  "help.title": "*AE Assistant* — your accounts, touches, follow-ups, deals and quota, in Slack.",
  "help.body": [
    "`/ae accounts [search]` — your accounts, most at-risk and most valuable first",
    "`/ae account add <name> [tier:key|growth|standard] [value:<annual revenue>] [industry:<text>] [individual]`",
    "`/ae account <name>` — last touches, open follow-ups, deals, gifts this year",
    "`/ae log <account> <call|email|meeting|demo|meal|entertainment|note> [with @colleague …] [text]`",
    "`/ae followup <account> <when> <what>` — when: today, tomorrow, friday, \"in 3 days\", 2026-12-03",
    "`/ae followups` — open follow-ups, overdue first",
    "`/ae done <follow-up #>`",
    "`/ae deal <account> <amount> [stage:<stage>] [close:<date>]`",
    "`/ae won <deal # or account> [amount]` · `/ae lost <deal # or account> [reason]`",
    "`/ae quota` · `/ae quota set <@user|me> <amount> <month|quarter|year>` (managers, admins)",
    "`/ae gift <account> <recipient> <amount> <description>` · `/ae entertainment …` · `/ae gifts [account|recipient]`",
    "`/ae today` — today's digest on demand",
    "`/ae leaderboard [week|month|quarter|year]`",
    "`/ae settings` — reminder time and days, language, time zone, pause",
    "`/ae team …` — managers and admins: create a team, add or remove members, set the channel",
  ].join("\n"),
  "help.footer": "Tip: quote multi-word names, e.g. `/ae account \"Acme Corp\"`. Most commands without arguments open a form.",
  "error.unknownSubcommand": "I don't know `{input}`.",
  "error.didYouMean": "Did you mean `/ae {suggestion}`?",
  "error.internal": "Sorry, something went wrong on my side. Nothing was changed. Please try again in a moment.",
  "error.databaseDown": "I can't reach my database right now, so nothing was changed. Please try again in a minute.",
} as const;

export type MessageKey = keyof typeof en;
