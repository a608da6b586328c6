import type { ActionsBlock, Button, KnownBlock, PlainTextOption } from "@slack/types";
import { z } from "zod";
import type { ReminderView, FollowUpRow, NeglectedRow, QuotaGap } from "../../domain/reminder.js";
import { pushedCloseDate, type DealAttentionRow } from "../../domain/deal-attention.js";
import { OPEN_STAGES, type OpenStage } from "../../domain/deal-stages.js";
import type { LocalDate } from "../../domain/time.js";
import { stageLabel } from "./deal-blocks.js";
import type { OutgoingMessage } from "../notifier.js";
import { ACTIONS } from "../ids.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";
import { periodName } from "../../i18n/period-name.js";
import { dayLabel, money, percent, tierText, type ReminderFormat } from "./reminder-format.js";

/** Slack's limit for a message; the builder never exceeds it. */
export const MAX_MESSAGE_BLOCKS = 50;

/** Block ids of a digest row: the row's section, and the actions under it. */
export const REMINDER_ROW = {
  account: (id: number) => `dg_acct_${id}`,
  accountActions: (id: number) => `dg_acct_${id}_actions`,
  followUp: (id: number) => `dg_fu_${id}`,
  followUpActions: (id: number) => `dg_fu_${id}_actions`,
  deal: (id: number) => `dg_deal_${id}`,
  dealActions: (id: number) => `dg_deal_${id}_actions`,
} as const;

/** The deal id in a deal row's actions block id (the date picker carries no value of its own). */
export function dealIdOfActionsBlock(blockId: string | undefined): number | null {
  const m = /^dg_deal_(\d{1,12})_actions$/.exec(blockId ?? "");
  return m ? Number(m[1]) : null;
}

/**
 * Where a modal opened from a reminder row was opened, kept in its private_metadata so the
 * submission can update that row in place: the DM's channel and ts, or an ephemeral reply's
 * response_url (neither from Home: the Home refresh shows it there).
 */
export const rowOrigin = z.object({
  c: z.string().max(40).optional(),
  ts: z.string().max(40).optional(),
  r: z.url().max(1000).optional(),
});
export type RowOrigin = z.infer<typeof rowOrigin>;

/** What an account button carries. */
export const accountButtonValue = z.object({ a: z.number().int().positive() });
/** What a follow-up button carries. */
export const followUpButtonValue = z.object({ f: z.number().int().positive() });
/** What a deal button carries. */
export const dealButtonValue = z.object({ d: z.number().int().positive() });
/** What an "Update stage" option carries: the deal and the stage picked. */
export const dealStageValue = z.object({ d: z.number().int().positive(), s: z.enum(OPEN_STAGES) });

function button(actionId: string, text: string, value: string, style?: "primary"): Button {
  return { type: "button", action_id: actionId, text: { type: "plain_text", text: text.slice(0, 75), emoji: true }, value, ...(style ? { style } : {}) };
}

function section(text: string, blockId?: string): KnownBlock {
  return { type: "section", ...(blockId ? { block_id: blockId } : {}), text: { type: "mrkdwn", text: clip(text) } };
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: clip(text) }] };
}

export function neglectedRowText(row: NeglectedRow, f: ReminderFormat): string {
  const params = {
    name: escapeMrkdwn(row.name),
    tier: tierText(f.t, row.tier),
    value: money(f, row.annualValueCents, true),
    count: row.daysSinceTouch,
    threshold: row.thresholdDays,
  };
  return f.t(row.neverTouched ? "digest.neglected.rowNever" : "digest.neglected.row", params);
}

/** One neglected account: its line, and Log touch / Snooze 1 day / Snooze 1 week / Open. */
export function neglectedRowBlocks(row: NeglectedRow, f: ReminderFormat): KnownBlock[] {
  const value = JSON.stringify({ a: row.accountId });
  const actions: ActionsBlock = {
    type: "actions",
    block_id: REMINDER_ROW.accountActions(row.accountId),
    elements: [
      button(ACTIONS.logTouch, f.t("digest.button.logTouch"), value, "primary"),
      button(ACTIONS.snoozeAccount1d, f.t("digest.button.snooze1d"), value),
      button(ACTIONS.snoozeAccount1w, f.t("digest.button.snooze1w"), value),
      button(ACTIONS.openAccount, f.t("digest.button.open"), value),
    ],
  };
  return [section(neglectedRowText(row, f), REMINDER_ROW.account(row.accountId)), actions];
}

export function followUpRowText(row: FollowUpRow, f: ReminderFormat): string {
  return f.t("digest.followUps.row", { title: escapeMrkdwn(row.title), account: escapeMrkdwn(row.accountName), count: row.daysOverdue });
}

/** One follow-up: its line, and Done / Snooze 1 day. */
export function followUpRowBlocks(row: FollowUpRow, f: ReminderFormat): KnownBlock[] {
  const value = JSON.stringify({ f: row.id });
  const actions: ActionsBlock = {
    type: "actions",
    block_id: REMINDER_ROW.followUpActions(row.id),
    elements: [
      button(ACTIONS.followUpDone, f.t("digest.button.done"), value, "primary"),
      button(ACTIONS.followUpSnooze, f.t("digest.button.snoozeFollowUp"), value),
    ],
  };
  return [section(followUpRowText(row, f), REMINDER_ROW.followUp(row.id)), actions];
}

/** "*Acme Corp* — Renewal · $50,000 · proposal", then why it needs attention. */
export function dealRowText(row: DealAttentionRow, f: ReminderFormat): string {
  const head = [
    `*${escapeMrkdwn(row.accountName)}*${row.title ? ` — ${escapeMrkdwn(row.title)}` : ""}`,
    money(f, row.amountCents),
    stageLabel(f.t, row.stage),
  ].join(" · ");
  const date = row.closeDate ? dayLabel(f, row.closeDate) : "";
  const why =
    row.reason === "past_close"
      ? f.t("digest.deals.pastClose", { date, count: row.lateDays })
      : row.reason === "close_soon"
        ? f.t("digest.deals.closeSoon", { date, count: row.daysSinceTouch })
        : f.t("digest.deals.stalled", { stage: stageLabel(f.t, row.stage), count: row.daysInStage });
  return `${head}\n${why}`;
}

/**
 * One deal: its line, and Push 1 week / a date picker / Won / Lost / Update stage. The date
 * picker starts where "Push 1 week" would land (pushedCloseDate); the stage select offers the
 * other open stages.
 */
export function dealRowBlocks(row: DealAttentionRow, f: ReminderFormat, today: LocalDate): KnownBlock[] {
  const value = JSON.stringify({ d: row.dealId });
  const stages: PlainTextOption[] = OPEN_STAGES.filter((s: OpenStage) => s !== row.stage).map((s) => ({
    text: { type: "plain_text", text: stageLabel(f.t, s).slice(0, 75), emoji: true },
    value: JSON.stringify({ d: row.dealId, s }),
  }));
  const actions: ActionsBlock = {
    type: "actions",
    block_id: REMINDER_ROW.dealActions(row.dealId),
    elements: [
      button(ACTIONS.dealPushWeek, f.t("digest.button.pushWeek"), value),
      {
        type: "datepicker",
        action_id: ACTIONS.dealPushDate,
        initial_date: pushedCloseDate(row.closeDate, today),
        placeholder: { type: "plain_text", text: f.t("digest.button.pushDate").slice(0, 150), emoji: true },
      },
      button(ACTIONS.dealWon, f.t("digest.button.won"), value, "primary"),
      button(ACTIONS.dealLost, f.t("digest.button.lost"), value),
      {
        type: "static_select",
        action_id: ACTIONS.dealStage,
        placeholder: { type: "plain_text", text: f.t("digest.button.stage").slice(0, 150), emoji: true },
        options: stages,
      },
    ],
  };
  return [section(dealRowText(row, f), REMINDER_ROW.deal(row.dealId)), actions];
}

/** How far behind, what is needed per remaining day, and the projected finish. */
export function quotaGapText(gap: QuotaGap, f: ReminderFormat): string {
  const lines = [
    f.t("digest.quota.heading", { period: periodName(gap.period, f.locale) }),
    f.t("digest.quota.body", {
      won: money(f, gap.wonCents),
      quota: money(f, gap.effectiveQuotaCents),
      attainment: percent(f, gap.attainment),
      pace: money(f, gap.paceTargetCents),
      behind: money(f, gap.behindByCents),
    }),
    gap.neededPerRemainingDayCents !== null && gap.remainingDays > 0
      ? f.t(f.paceMode === "calendar" ? "digest.quota.neededCalendar" : "digest.quota.neededBusiness", {
          perDay: money(f, gap.neededPerRemainingDayCents),
          count: gap.remainingDays,
        })
      : f.t("digest.quota.noDaysLeft"),
  ];
  if (gap.projectedFinishCents !== null && gap.projectedAttainment !== null) {
    lines.push(f.t("digest.quota.projected", { projected: money(f, gap.projectedFinishCents), share: percent(f, gap.projectedAttainment) }));
  }
  return lines.join("\n");
}

/** The one-line notification text: what the digest is about. */
export function reminderSummary(view: ReminderView, f: ReminderFormat): string {
  const t = f.t;
  const neglected = view.neglected.rows.length + view.neglected.restCount;
  const followUps = view.followUps.rows.length + view.followUps.restCount;
  const deals = view.deals.rows.length + view.deals.restCount;
  const parts = [
    neglected > 0 ? t("digest.summary.neglected", { count: neglected }) : "",
    view.quotaGap ? t("digest.summary.quota") : "",
    followUps > 0 ? t("digest.summary.followUps", { count: followUps }) : "",
    deals > 0 ? t("digest.summary.deals", { count: deals }) : "",
  ].filter(Boolean);
  return `${t("digest.title", { date: dayLabel(f, view.localDate) })}: ${parts.join(" · ")}`;
}

/**
 * The digest DM (also `/ae today`'s answer). Sections appear only when they have something; at
 * most 50 blocks: follow-up rows beyond what fits are counted in the "…and N more" line.
 */
export function reminderMessage(view: ReminderView, f: ReminderFormat, opts: { title?: "digest" | "today" } = {}): OutgoingMessage {
  const title = f.t(opts.title === "today" ? "today.title" : "digest.title", { date: dayLabel(f, view.localDate) });
  const head: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: title.slice(0, 150), emoji: true } }];
  const neglected: KnownBlock[] = [];
  if (view.neglected.rows.length > 0) {
    neglected.push(section(f.t("digest.neglected.heading")));
    for (const row of view.neglected.rows) neglected.push(...neglectedRowBlocks(row, f));
    if (view.neglected.restCount > 0) neglected.push(context(f.t("digest.neglected.rest", { count: view.neglected.restCount })));
  }
  const quota: KnownBlock[] = view.quotaGap ? [section(quotaGapText(view.quotaGap, f), "dg_quota")] : [];
  const deals: KnownBlock[] = [];
  if (view.deals.rows.length > 0) {
    deals.push(section(f.t("digest.deals.heading")));
    for (const row of view.deals.rows) deals.push(...dealRowBlocks(row, f, view.localDate));
    if (view.deals.restCount > 0) deals.push(context(f.t("digest.deals.rest", { count: view.deals.restCount })));
  }
  const footer: KnownBlock[] = [{ type: "divider" }, context(f.t("digest.footer"))];

  // Deals come last but are bounded (top 5), so the follow-ups take whatever room is left.
  const fixed = [head, neglected, quota, deals].filter((b) => b.length > 0);
  const used = fixed.reduce((n, b) => n + b.length, 0) + (fixed.length - 1) + footer.length;
  const followUps: KnownBlock[] = [];
  if (view.followUps.rows.length > 0) {
    // divider + heading + possibly the "more" line
    const room = Math.max(0, Math.floor((MAX_MESSAGE_BLOCKS - used - 3) / 2));
    const shown = view.followUps.rows.slice(0, room);
    const rest = view.followUps.restCount + (view.followUps.rows.length - shown.length);
    followUps.push(section(f.t("digest.followUps.heading")));
    for (const row of shown) followUps.push(...followUpRowBlocks(row, f));
    if (rest > 0) followUps.push(context(f.t("digest.followUps.rest", { count: rest })));
  }
  const blocks: KnownBlock[] = [];
  for (const part of [head, neglected, quota, followUps, deals]) {
    if (part.length === 0) continue;
    if (blocks.length > 0) blocks.push({ type: "divider" });
    blocks.push(...part);
  }
  blocks.push(...footer);
  return { text: reminderSummary(view, f), blocks: blocks.slice(0, MAX_MESSAGE_BLOCKS) };
}

/**
 * The message after a button did its work: the row's section shows what was done and its buttons
 * are gone. Other rows are untouched. Unknown rows leave the blocks as they were.
 */
export function markRowDone(blocks: readonly KnownBlock[], rowBlockId: string, doneText: string): KnownBlock[] {
  const out: KnownBlock[] = [];
  for (const b of blocks) {
    if (b.block_id === `${rowBlockId}_actions`) continue;
    if (b.block_id === rowBlockId) out.push(section(doneText, rowBlockId));
    else out.push(b);
  }
  return out;
}

/** Blocks as plain readable text (the CLI preview): headers, sections, context, and [buttons]. */
export function blocksAsText(message: OutgoingMessage): string {
  const lines: string[] = [];
  for (const b of message.blocks ?? []) {
    if (b.type === "header") lines.push(b.text.text.toUpperCase(), "");
    else if (b.type === "section" && b.text) lines.push(b.text.text);
    else if (b.type === "context") lines.push(...b.elements.map((e) => ("text" in e && typeof e.text === "string" ? e.text : "")));
    else if (b.type === "actions") {
      const label = (e: (typeof b.elements)[number]) =>
        e.type === "button" ? `[${e.text.text}]` : (e.type === "datepicker" || e.type === "static_select") && e.placeholder ? `[${e.placeholder.text} ▾]` : "";
      lines.push("  " + b.elements.map(label).filter(Boolean).join(" "));
    } else if (b.type === "divider") lines.push("");
  }
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}
