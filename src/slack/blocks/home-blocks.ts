import type { KnownBlock, View } from "@slack/types";
import type { HomeView } from "../../services/reminder-service.js";
import { ACTIONS } from "../ids.js";
import { followUpRowBlocks, neglectedRowBlocks } from "./reminder-blocks.js";
import { adminHomeBlocks, type AdminHomeView } from "./admin-blocks.js";
import { clip } from "./mrkdwn.js";
import { periodName } from "../../i18n/period-name.js";
import { clockTime, dayAndTime, money, percent, type ReminderFormat } from "./reminder-format.js";

/** Slack's limit for a Home tab. */
export const MAX_HOME_BLOCKS = 100;

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: clip(text) } };
}

function quotaText(home: HomeView, f: ReminderFormat): string {
  const { progress: p, period, hasQuota } = home.quota;
  const t = f.t;
  const name = periodName(period, f.locale);
  const heading = t("home.quota.heading", { period: name });
  const won = money(f, home.quota.wonCents);
  if (!hasQuota || p.effectiveQuotaCents === null) return `${heading}\n${t("home.quota.none", { period: name, won })}`;
  if (p.status === "zero_quota") return `${heading}\n${t("home.quota.zero", { period: name, won })}`;
  const lines = [heading, t("home.quota.line", { won, quota: money(f, p.effectiveQuotaCents), attainment: percent(f, p.attainment ?? 0) })];
  const bar = progressBar(p.attainment ?? 0);
  lines.push(`\`${bar}\``);
  const gap = Math.abs(p.gapToPaceCents ?? 0);
  if (p.status === "attained") lines.push(t("home.quota.status.attained"));
  else if (p.status === "on_pace") lines.push(t("home.quota.status.on_pace"));
  else if (p.status === "ahead") lines.push(t("home.quota.status.ahead", { amount: money(f, gap) }));
  else if (p.status === "behind") lines.push(t("home.quota.status.behind", { amount: money(f, gap) }));
  if (p.status !== "attained" && p.neededPerRemainingDayCents !== null && p.remainingDays > 0) {
    lines.push(
      t("home.quota.needed", {
        amount: money(f, p.neededPerRemainingDayCents),
        count: p.remainingDays,
        projected: p.projectedFinishCents !== null ? money(f, p.projectedFinishCents) : "—",
      }),
    );
  }
  return lines.join("\n");
}

function progressBar(ratio: number, width = 20): string {
  const filled = Math.max(0, Math.min(width, Math.round(ratio * width)));
  return "█".repeat(filled) + "░".repeat(width - filled);
}

/**
 * The App Home dashboard: quota progress, the common actions, neglected accounts (with the same
 * buttons as the digest), follow-ups due, and when the next reminder comes; for admins, the
 * workspace settings with a button to change them. At most 100 blocks.
 */
export function homeView(home: HomeView, f: ReminderFormat, now: Date, admin?: AdminHomeView): View {
  const t = f.t;
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: t("home.title"), emoji: true } },
    { type: "context", elements: [{ type: "mrkdwn", text: t("home.intro", { time: clockTime(f, now) }) }] },
    {
      type: "actions",
      block_id: "home_actions",
      elements: [
        { type: "button", action_id: ACTIONS.homeAddAccount, text: { type: "plain_text", text: t("home.button.addAccount"), emoji: true } },
        { type: "button", action_id: ACTIONS.homeLogTouch, text: { type: "plain_text", text: t("home.button.logTouch"), emoji: true }, style: "primary" },
        { type: "button", action_id: ACTIONS.homeAddFollowUp, text: { type: "plain_text", text: t("home.button.addFollowUp"), emoji: true } },
        { type: "button", action_id: ACTIONS.homeAddDeal, text: { type: "plain_text", text: t("home.button.addDeal"), emoji: true } },
        { type: "button", action_id: ACTIONS.homeSettings, text: { type: "plain_text", text: t("home.button.settings"), emoji: true } },
      ],
    },
    { type: "divider" },
    section(quotaText(home, f)),
    { type: "divider" },
    section(t("home.neglected.heading")),
  ];
  const d = home.reminder;
  if (d.neglected.rows.length === 0) blocks.push(section(t("home.neglected.none")));
  for (const row of d.neglected.rows) blocks.push(...neglectedRowBlocks(row, f));
  if (d.neglected.restCount > 0) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: t("digest.neglected.rest", { count: d.neglected.restCount }) }] });
  blocks.push({ type: "divider" }, section(t("home.followUps.heading")));
  const tail: KnownBlock[] = [
    { type: "divider" },
    { type: "context", elements: [{ type: "mrkdwn", text: reminderLine(home, f) }] },
    ...(admin ? adminHomeBlocks(admin, f) : []),
  ];
  if (d.followUps.rows.length === 0) blocks.push(section(t("home.followUps.none")));
  const room = Math.max(0, Math.floor((MAX_HOME_BLOCKS - blocks.length - tail.length - 1) / 2));
  const shown = d.followUps.rows.slice(0, room);
  for (const row of shown) blocks.push(...followUpRowBlocks(row, f));
  const rest = d.followUps.restCount + d.followUps.rows.length - shown.length;
  if (rest > 0) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: t("digest.followUps.rest", { count: rest }) }] });
  blocks.push(...tail);
  return { type: "home", blocks: blocks.slice(0, MAX_HOME_BLOCKS) };
}

function reminderLine(home: HomeView, f: ReminderFormat): string {
  if (home.schedule.paused) return f.t("home.reminder.paused");
  if (!home.nextReminder) return f.t("home.reminder.none");
  return f.t("home.reminder.next", { when: dayAndTime(f, home.nextReminder.at), zone: home.schedule.zone });
}
