import type { KnownBlock } from "@slack/types";
import { formatMoney } from "../../domain/amounts.js";
import type { Translator } from "../../i18n/translate.js";
import type { Actor } from "../../services/actor-service.js";
import type { AccountPage, AccountSummary } from "../../services/account-service.js";
import type { Reply } from "../subcommands/subcommand.js";
import { daysAgo, formatDay, tierLabel } from "./account-format.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";
import { moreButton } from "./more-button.js";

/** Accounts per page of `/ae accounts`: one section each keeps a page far below 50 blocks. */
export const ACCOUNTS_PAGE_SIZE = 25;

/** The status dot of an account: overdue, snoozed, getting close, fine. */
export function accountStatusEmoji(a: Pick<AccountSummary, "overdueDays" | "snoozedUntil" | "daysSinceTouch" | "thresholdDays">, now: Date): string {
  if (a.overdueDays !== null) return ":red_circle:";
  if (a.snoozedUntil !== null && a.snoozedUntil.getTime() > now.getTime()) return ":zzz:";
  if (a.daysSinceTouch >= a.thresholdDays * 0.75) return ":large_yellow_circle:";
  return ":large_green_circle:";
}

/** One line pair about an account: name, tier, value, industry, owner; last touch and how overdue. */
export function accountLine(t: Translator, actor: Actor, a: AccountSummary, now: Date): string {
  const facts = [
    `*${escapeMrkdwn(a.name)}*`,
    tierLabel(t, a.tier),
    a.annualValueCents > 0 ? formatMoney(a.annualValueCents, actor.workspace.currency, actor.locale) : "",
    a.industry ? escapeMrkdwn(a.industry) : "",
    a.kind === "individual" ? t("accounts.individual") : "",
    a.owner.id !== actor.user.id ? t("accounts.ownedBy", { owner: escapeMrkdwn(a.owner.name ?? a.owner.slackUserId) }) : "",
  ].filter(Boolean);
  const touch = a.lastTouchAt
    ? t("accounts.lastTouch", { when: daysAgo(t, a.daysSinceTouch), date: formatDay(a.lastTouchAt, actor.zone, actor.locale) })
    : t("accounts.neverTouched");
  const status =
    a.overdueDays !== null
      ? t("accounts.overdueBy", { overdue: t("accounts.daysOverdue", { count: a.overdueDays }), cadence: t("accounts.touchEvery", { count: a.thresholdDays }) })
      : a.snoozedUntil !== null && a.snoozedUntil.getTime() > now.getTime()
        ? t("accounts.snoozedUntil", { date: formatDay(a.snoozedUntil, actor.zone, actor.locale) })
        : "";
  return `${accountStatusEmoji(a, now)} ${facts.join(" · ")}\n${[touch, status].filter(Boolean).join(" — ")}`;
}

/**
 * A page of `/ae accounts`: a heading with the range shown, one section per account, and a
 * "More" button that runs the command again for the next page.
 */
export function accountListBlocks(t: Translator, actor: Actor, page: AccountPage, now: Date): Reply {
  const search = page.search.trim();
  if (page.total === 0) {
    const text = search ? t("accounts.list.noMatch", { search: escapeMrkdwn(search.slice(0, 100)) }) : `${t("accounts.list.none")} ${t("account.noneYet")}`;
    return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text) } }] };
  }
  if (page.items.length === 0) {
    const text = t("accounts.list.pastEnd", { count: page.total });
    return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text) } }] };
  }
  const from = page.offset + 1;
  const to = page.offset + page.items.length;
  const heading = search
    ? t("accounts.list.headingSearch", { from, to, total: page.total, search: escapeMrkdwn(search.slice(0, 100)) })
    : t("accounts.list.heading", { from, to, total: page.total });
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: clip(heading) } }];
  const lines = page.items.map((a) => accountLine(t, actor, a, now));
  for (const line of lines) blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(line) } });
  if (to < page.total) {
    const nextPage = Math.floor(page.offset / ACCOUNTS_PAGE_SIZE) + 2;
    const command = `accounts page:${nextPage} ${search}`.trim();
    blocks.push({ type: "actions", elements: [moreButton(t, command, page.total - to)] });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: escapeMrkdwn(t("accounts.list.footer")) }] });
  const text = clip([heading, ...lines.map((l) => l.split("\n")[0])].join("\n"), 3000);
  return { text, blocks };
}
