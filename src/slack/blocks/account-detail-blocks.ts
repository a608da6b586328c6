import type { KnownBlock } from "@slack/types";
import { formatMoney } from "../../domain/amounts.js";
import { localDateOf } from "../../domain/time.js";
import { forecastCategoryOf } from "../../domain/forecast.js";
import type { Translator } from "../../i18n/translate.js";
import type { AccountDetail } from "../../services/account-service.js";
import type { Actor } from "../../services/actor-service.js";
import { ACTIONS } from "../ids.js";
import type { Reply } from "../subcommands/subcommand.js";
import { clipPlain, formatDay, formatLocalDate, formatLocalDay, kindLabel, mention, stageLabel } from "./account-format.js";
import { accountLine } from "./account-list-blocks.js";
import { forecastLabel } from "./deal-blocks.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";

/** What the account page's "Log touch" / "Add follow-up" buttons carry. */
export interface AccountButtonValue {
  accountId: number;
}

/** Echoed free text: escaped, one line, cut to `max` characters. */
function snippet(text: string, max: number): string {
  const flat = text.replace(/\s+/gu, " ").trim();
  const cut = Array.from(flat).length > max ? `${Array.from(flat).slice(0, max - 1).join("")}…` : flat;
  return escapeMrkdwn(cut);
}

function isSafeLink(url: string): boolean {
  return /^https:\/\/[^\s<>|]{1,500}$/.test(url);
}

/** `/ae account <name>`: the account, its latest touches, open follow-ups, deals and this year's gifts. */
export function accountDetailBlocks(t: Translator, actor: Actor, d: AccountDetail, now: Date): Reply {
  const money = (cents: number) => formatMoney(cents, actor.workspace.currency, actor.locale);
  const a = d.account;
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: clipPlain(a.name, 150), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: clip(accountLine(t, actor, a, now)) } },
  ];

  const touchLines = d.touches.map((x) => {
    const people = x.participantSlackUserIds.map(mention).filter(Boolean);
    const parts = [
      formatDay(x.occurredAt, actor.zone, actor.locale),
      kindLabel(t, x.kind),
      x.bySlackUserId !== actor.user.slackUserId ? t("accounts.detail.by", { name: escapeMrkdwn(x.byName ?? x.bySlackUserId) }) : "",
      people.length > 0 ? t("accounts.detail.with", { people: people.join(", ") }) : "",
      x.source === "message" && x.sourceRef && isSafeLink(x.sourceRef) ? `<${x.sourceRef}|${t("accounts.detail.message")}>` : "",
    ].filter(Boolean);
    return `• ${parts.join(" · ")}${x.note ? ` — ${snippet(x.note, 200)}` : ""}`;
  });
  const touchHeading = t("accounts.detail.touches", { shown: d.touches.length, total: d.touchCount });
  blocks.push(section(touchHeading, touchLines, t("accounts.detail.noTouches")));

  const followUpLines = d.followUps.map((f) => {
    const due = formatLocalDay(localDateOf(f.dueAt, actor.zone), actor.locale);
    const flag = f.overdue ? ` :warning: ${t("followups.overdue")}` : "";
    return `• #${f.id} · ${due}${flag} — ${snippet(f.title, 200)}`;
  });
  blocks.push(section(t("accounts.detail.followUps"), followUpLines, t("accounts.detail.noFollowUps")));

  const dealLines = d.deals.map((deal) => {
    const when =
      deal.status === "won" && deal.wonAt
        ? t("accounts.detail.wonOn", { date: formatDay(deal.wonAt, actor.zone, actor.locale) })
        : deal.status === "lost" && deal.lostAt
          ? t("accounts.detail.lostOn", { date: formatDay(deal.lostAt, actor.zone, actor.locale) })
          : deal.expectedCloseAt
            ? t("accounts.detail.closes", { date: formatDay(deal.expectedCloseAt, actor.zone, actor.locale) })
            : "";
    // An open deal shows its forecast category (its own, or the one its stage implies).
    const forecast = deal.status === "open" ? forecastLabel(t, forecastCategoryOf(deal)) : "";
    const parts = [`#${deal.id}`, money(deal.amountCents), stageLabel(t, deal.status === "open" ? deal.stage : deal.status), forecast, when].filter(Boolean);
    return `• ${parts.join(" · ")}${deal.title ? ` — ${snippet(deal.title, 100)}` : ""}`;
  });
  blocks.push(section(t("accounts.detail.deals", { shown: d.deals.length, total: d.dealCount }), dealLines, t("accounts.detail.noDeals")));

  const giftLines = d.gifts.map(
    (g) => `• ${formatLocalDate(g.givenOn, actor.locale)} · ${snippet(g.recipientName, 80)} · ${money(g.amountCents)} — ${snippet(g.description, 120)}`,
  );
  const giftHeading = t("accounts.detail.gifts", { year: d.year, count: d.giftCount, total: money(d.giftTotalCents) });
  blocks.push(section(giftHeading, giftLines, t("accounts.detail.noGifts", { year: d.year })));

  const value = JSON.stringify({ accountId: a.id } satisfies AccountButtonValue);
  blocks.push({
    type: "actions",
    elements: [
      { type: "button", action_id: ACTIONS.homeLogTouch, text: { type: "plain_text", text: t("touches.modal.title"), emoji: true }, value },
      { type: "button", action_id: ACTIONS.homeAddFollowUp, text: { type: "plain_text", text: t("followups.modal.title"), emoji: true }, value },
    ],
  });
  const text = clip([`*${escapeMrkdwn(a.name)}*`, accountLine(t, actor, a, now), touchHeading, ...touchLines].join("\n"));
  return { text, blocks };
}

function section(heading: string, lines: string[], empty: string): KnownBlock {
  const body = lines.length > 0 ? lines.join("\n") : `_${empty}_`;
  return { type: "section", text: { type: "mrkdwn", text: clip(`*${heading}*\n${body}`) } };
}

/** The account a "Log touch" / "Add follow-up" button carries, or null (Home tab buttons carry none). */
export function accountIdOf(value: string | undefined): number | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === "object" && parsed !== null && "accountId" in parsed) {
      const id = (parsed as { accountId: unknown }).accountId;
      return typeof id === "number" && Number.isInteger(id) && id > 0 ? id : null;
    }
  } catch {
    // Not ours (the Home tab may put anything there): no account preselected.
  }
  return null;
}
