import type { KnownBlock } from "@slack/types";
import type { Translator } from "../../i18n/translate.js";
import type { Actor } from "../../services/actor-service.js";
import type { FollowUpItem, FollowUpPage } from "../../services/followup-service.js";
import type { MemberFollowUps } from "../../services/manager-view-service.js";
import { ACTIONS } from "../ids.js";
import type { Reply } from "../subcommands/subcommand.js";
import { formatDay, formatLocalDay } from "./account-format.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";
import { moreButton } from "./more-button.js";

/** Follow-ups per page of `/ae followups`: a section with a Done button each. */
export const FOLLOWUPS_PAGE_SIZE = 20;

/** What a list row's Done button carries: the follow-up and the page to show again afterwards. */
export interface FollowUpDoneValue {
  id: number;
  page: number;
}

export function followUpLine(t: Translator, actor: Actor, f: FollowUpItem, now: Date): string {
  const due = formatLocalDay(f.dueDate, actor.locale);
  const when = f.overdue
    ? `:red_circle: ${t("followups.overdueSince", { date: due })}`
    : f.dueToday
      ? `:large_orange_circle: ${t("followups.dueToday")}`
      : `:white_circle: ${t("followups.dueOn", { date: due })}`;
  const snoozed =
    f.snoozedUntil && f.snoozedUntil.getTime() > now.getTime()
      ? ` · :zzz: ${t("accounts.snoozedUntil", { date: formatDay(f.snoozedUntil, actor.zone, actor.locale) })}`
      : "";
  return `*#${f.id}* · *${escapeMrkdwn(f.account.name)}* — ${escapeMrkdwn(f.title)}\n${when}${snoozed}`;
}

/**
 * `/ae followups`: open follow-ups, overdue first, each with a Done button; "More" pages on.
 * `of` (a Slack user id): someone else's list, seen by their manager or an admin — read-only (the
 * Done button redraws the clicker's own list), headed with whose it is.
 */
export function followUpListBlocks(t: Translator, actor: Actor, page: FollowUpPage, now: Date, notice?: string, of?: string): Reply {
  const blocks: KnownBlock[] = [];
  if (notice) blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(notice) } });
  const who = of ? `<@${of}>` : "";
  if (page.total === 0 || page.items.length === 0) {
    const none = of ? t("followups.noneOf", { user: who }) : t("followups.none");
    const text = page.total === 0 ? none : t("followups.pastEnd", { count: page.total });
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(text) } });
    return { text: [notice, text].filter(Boolean).join("\n"), blocks };
  }
  const pageNumber = Math.floor(page.offset / FOLLOWUPS_PAGE_SIZE) + 1;
  const from = page.offset + 1;
  const to = page.offset + page.items.length;
  const overdue = page.items.filter((f) => f.overdue).length;
  const heading = of ? t("followups.headingOf", { user: who, from, to, total: page.total }) : t("followups.heading", { from, to, total: page.total });
  blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(heading) } });
  const lines: string[] = [];
  for (const f of page.items) {
    const line = followUpLine(t, actor, f, now);
    lines.push(line);
    if (of) {
      blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(line) } });
      continue;
    }
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: clip(line) },
      accessory: {
        type: "button",
        action_id: ACTIONS.followUpDoneInList,
        text: { type: "plain_text", text: t("followups.doneButton"), emoji: true },
        value: JSON.stringify({ id: f.id, page: pageNumber } satisfies FollowUpDoneValue),
      },
    });
  }
  if (to < page.total) blocks.push({ type: "actions", elements: [moreButton(t, `followups ${of ? `${who} ` : ""}page:${pageNumber + 1}`, page.total - to)] });
  if (overdue > 0 && !of) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: t("followups.overdueCount", { count: overdue }) }] });
  const text = clip([notice, heading, ...lines.map((l) => l.split("\n")[0])].filter(Boolean).join("\n"));
  return { text, blocks };
}

/** Members per page of `/ae followups team`: one section each (first few items inline). */
export const TEAM_FOLLOWUPS_PAGE_SIZE = 20;
/** Follow-ups shown inline per member; the rest are behind `/ae followups @member`. */
export const TEAM_FOLLOWUPS_PER_MEMBER = 5;

/**
 * `/ae followups team`: the open follow-ups of everyone in the manager's teams, one section per
 * person (their count, overdue count and first few), a page of people at a time — at most
 * 20 + 3 blocks, well inside Slack's 50; "More" shows the next people.
 */
export function teamFollowUpBlocks(t: Translator, actor: Actor, team: { members: MemberFollowUps[]; totalMembers: number; offset: number }, now: Date): Reply {
  const from = team.offset + 1;
  const to = team.offset + team.members.length;
  if (team.members.length === 0) {
    const text = t("followups.pastEnd", { count: team.totalMembers });
    return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text) } }] };
  }
  const heading = t("followups.team.heading", { from, to, total: team.totalMembers });
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: clip(heading) } }];
  const summaries: string[] = [];
  for (const m of team.members) {
    const user = `<@${m.user.slackUserId}>`;
    const summary =
      m.total === 0
        ? t("followups.team.memberNone", { user })
        : t("followups.team.member", { user, count: m.total }) + (m.overdue > 0 ? t("followups.team.overdue", { count: m.overdue }) : "");
    summaries.push(summary);
    const lines = [summary, ...m.items.map((f) => `• ${followUpLine(t, actor, f, now).replace("\n", " · ")}`)];
    if (m.total > m.items.length) lines.push(t("followups.team.moreItems", { count: m.total - m.items.length, mention: user }));
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(lines.join("\n")) } });
  }
  const pageNumber = Math.floor(team.offset / TEAM_FOLLOWUPS_PAGE_SIZE) + 1;
  if (to < team.totalMembers) blocks.push({ type: "actions", elements: [moreButton(t, `followups team page:${pageNumber + 1}`, team.totalMembers - to)] });
  return { text: clip([heading, ...summaries].join("\n")), blocks };
}
