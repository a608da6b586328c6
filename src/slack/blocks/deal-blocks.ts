import type { KnownBlock } from "@slack/types";
import type { MessageKey, Translator } from "../../i18n/translate.js";
import type { Deal } from "../../db/repositories/deal-repository.js";
import { localDateOf } from "../../domain/time.js";
import { forecastCategoryOf, type ForecastCategory } from "../../domain/forecast.js";
import type { Actor } from "../../services/actor-service.js";
import type { WinImpact } from "../../services/quota-service.js";
import { ACTIONS } from "../ids.js";
import type { Reply } from "../subcommands/subcommand.js";
import { formatLocalDate, formatPercent, money } from "./deal-format.js";
import { periodName } from "../../i18n/period-name.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";
import { doneReply } from "./reply-blocks.js";

type Fmt = Pick<Actor, "workspace" | "locale" | "zone">;

const STAGE_KEYS: Record<string, MessageKey> = {
  prospect: "deal.stage.prospect",
  qualified: "deal.stage.qualified",
  proposal: "deal.stage.proposal",
  negotiation: "deal.stage.negotiation",
  won: "deal.stage.won",
  lost: "deal.stage.lost",
};

export function stageLabel(t: Translator, stage: string): string {
  const key = STAGE_KEYS[stage];
  return key ? t(key) : escapeMrkdwn(stage);
}

export function forecastLabel(t: Translator, category: ForecastCategory): string {
  return t(`deal.forecast.${category}`);
}

/** A deal's forecast category as a rep reads it: "commit", or "best case (from its stage)" when implied. */
export function dealForecastText(t: Translator, deal: Pick<Deal, "stage" | "forecastCategory">): string {
  const label = forecastLabel(t, forecastCategoryOf(deal));
  return deal.forecastCategory === null ? t("deal.forecast.implied", { category: label }) : label;
}

/** A button that runs a `/ae` command again (the rerun listener dispatches `text`). */
export interface RerunValue {
  text: string;
}

/** "#42 · $50,000 · proposal · best case · closes Dec 12, 2026" */
export function dealSummary(t: Translator, fmt: Fmt, deal: Deal): string {
  const parts = [`#${deal.id}`, money(fmt, deal.amountCents), stageLabel(t, deal.stage), forecastLabel(t, forecastCategoryOf(deal))];
  if (deal.expectedCloseAt) parts.push(t("deal.closes", { date: formatLocalDate(localDateOf(deal.expectedCloseAt, fmt.zone), fmt.locale) }));
  return parts.join(" · ");
}

export function dealCreatedReply(t: Translator, fmt: Fmt, deal: Deal): Reply {
  return {
    ...doneReply(
      t("deal.created", {
        id: deal.id,
        account: escapeMrkdwn(deal.accountName),
        summary: dealSummary(t, fmt, deal),
      }),
    ),
    changed: true,
  };
}

/**
 * "Acme has 3 open deals — which one?" with one button per deal that runs the command again
 * with the deal's number. Never guesses.
 */
export function dealChoiceBlocks(t: Translator, fmt: Fmt, accountName: string, deals: Deal[], rerun: (dealId: number) => string): Reply {
  const heading = t("deal.several", { account: escapeMrkdwn(accountName), count: deals.length });
  const lines = deals.map((d) => `• ${dealSummary(t, fmt, d)}`);
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: clip([heading, ...lines].join("\n")) } }];
  const buttons = deals.slice(0, 25).flatMap((d) => {
    const value = JSON.stringify({ text: rerun(d.id) } satisfies RerunValue);
    if (value.length > 2000) return [];
    return [
      {
        type: "button" as const,
        action_id: `${ACTIONS.rerunCommand}:${d.id}`,
        text: { type: "plain_text" as const, text: dealSummary(t, fmt, d).slice(0, 75), emoji: true },
        value,
      },
    ];
  });
  for (let i = 0; i < buttons.length; i += 5) blocks.push({ type: "actions", elements: buttons.slice(i, i + 5) });
  if (deals.length > 25) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: t("deal.typeNumber") }] });
  return { text: [heading, ...lines].join("\n"), blocks };
}

/** The answer to `/ae won`: the win, then what it did to attainment and (for the owner) commission. */
export function wonReply(t: Translator, fmt: Fmt, deal: Deal, impact: WinImpact, owner: { isActor: boolean; slackUserId: string }): Reply {
  const headline = t("deal.won.done", { id: deal.id, account: escapeMrkdwn(deal.accountName), amount: money(fmt, deal.amountCents) });
  const p = impact.view.progress;
  const period = periodName(impact.view.period, fmt.locale);
  const parts: string[] = [];
  if (p.status === "no_quota") parts.push(t("deal.won.noQuota", { period }));
  else if (p.status === "zero_quota") parts.push(t("deal.won.zeroQuota", { period }));
  else {
    const attainment = formatPercent(p.attainment ?? 0, fmt.locale);
    parts.push(
      owner.isActor
        ? t("deal.won.attainmentYou", { attainment, period })
        : t("deal.won.attainmentOther", { who: `<@${owner.slackUserId}>`, attainment, period }),
    );
  }
  const mc = impact.marginal;
  if (mc) {
    parts.push(t("deal.won.commission", { amount: money(fmt, mc.commissionCents) }));
    for (const b of mc.bonusesUnlocked) {
      parts.push(t("deal.won.bonus", { threshold: formatPercent(b.attainment, fmt.locale), amount: money(fmt, b.amountCents) }));
    }
  }
  const text = `:tada: ${headline}\n${parts.join("; ")}.`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text) } }], changed: true };
}

export function lostReply(t: Translator, deal: Deal): Reply {
  const reason = deal.lostReason ? t("deal.lost.reason", { reason: escapeMrkdwn(deal.lostReason) }) : "";
  return { ...doneReply(t("deal.lost.done", { id: deal.id, account: escapeMrkdwn(deal.accountName), reason })), changed: true };
}
