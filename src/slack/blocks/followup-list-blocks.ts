import type { KnownBlock } from "@slack/types";
import type { Translator } from "../../i18n/translate.js";
import type { Actor } from "../../services/actor-service.js";
import type { FollowUpItem, FollowUpPage } from "../../services/followup-service.js";
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

/** `/ae followups`: open follow-ups, overdue first, each with a Done button; "More" pages on. */
export function followUpListBlocks(t: Translator, actor: Actor, page: FollowUpPage, now: Date, notice?: string): Reply {
  const blocks: KnownBlock[] = [];
  if (notice) blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(notice) } });
  if (page.total === 0 || page.items.length === 0) {
    const text = page.total === 0 ? t("followups.none") : t("followups.pastEnd", { count: page.total });
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(text) } });
    return { text: [notice, text].filter(Boolean).join("\n"), blocks };
  }
  const pageNumber = Math.floor(page.offset / FOLLOWUPS_PAGE_SIZE) + 1;
  const from = page.offset + 1;
  const to = page.offset + page.items.length;
  const overdue = page.items.filter((f) => f.overdue).length;
  const heading = t("followups.heading", { from, to, total: page.total });
  blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(heading) } });
  const lines: string[] = [];
  for (const f of page.items) {
    const line = followUpLine(t, actor, f, now);
    lines.push(line);
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
  if (to < page.total) blocks.push({ type: "actions", elements: [moreButton(t, `followups page:${pageNumber + 1}`, page.total - to)] });
  if (overdue > 0) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: t("followups.overdueCount", { count: overdue }) }] });
  const text = clip([notice, heading, ...lines.map((l) => l.split("\n")[0])].filter(Boolean).join("\n"));
  return { text, blocks };
}
