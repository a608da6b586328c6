import type { KnownBlock, PlainTextOption, View } from "@slack/types";
import { formatMoney } from "../../domain/amounts.js";
import { OPEN_STAGES } from "../../domain/deal-stages.js";
import type { WorkspaceSettingError, WorkspaceSettings, WorkspaceSettingsChanges } from "../../domain/workspace-settings.js";
import type { MessageKey, Translator } from "../../i18n/translate.js";
import { ACTIONS, ADMIN_MODAL, VIEWS } from "../ids.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";
import { formModal } from "./modal-shell.js";
import { formatLocalDate, formatPercent } from "./deal-format.js";
import { stageLabel } from "./deal-blocks.js";
import { CRM_NAME } from "../../domain/crm-push.js";
import type { CrmSummary } from "../../services/crm/crm-status-service.js";
import { crmHomeLine } from "./crm-blocks.js";
import type { ReminderFormat } from "./reminder-format.js";

function plain(text: string) {
  return { type: "plain_text" as const, text, emoji: true };
}

function option(text: string, value: string): PlainTextOption {
  return { text: plain(text.slice(0, 75)), value };
}

function textInput(blockId: string, label: string, initial: string, opts: { hint?: string; optional?: boolean; maxLength?: number } = {}): KnownBlock {
  return {
    type: "input",
    block_id: blockId,
    label: plain(label.slice(0, 2000)),
    ...(opts.optional ? { optional: true } : {}),
    ...(opts.hint ? { hint: plain(opts.hint.slice(0, 2000)) } : {}),
    element: { type: "plain_text_input", action_id: blockId, max_length: opts.maxLength ?? 64, ...(initial ? { initial_value: initial } : {}) },
  };
}

function select(blockId: string, label: string, options: PlainTextOption[], selected: string): KnownBlock {
  return {
    type: "input",
    block_id: blockId,
    label: plain(label),
    element: { type: "static_select", action_id: blockId, options, initial_option: options.find((o) => o.value === selected) ?? options[0]! },
  };
}

/** The gift limit as an admin types it: a plain number in their locale ("1.000" in de-DE). */
function giftLimitText(cents: number | null, locale: string): string {
  if (cents === null) return "";
  return new Intl.NumberFormat(locale, { useGrouping: false, maximumFractionDigits: 2 }).format(cents / 100);
}

/** `/ae admin`: every workspace setting, filled with the current values. */
export function adminModal(s: WorkspaceSettings, t: Translator, locale: string): View {
  const months = Array.from({ length: 12 }, (_, i) => option(t(`admin.month.${i + 1}` as MessageKey), String(i + 1)));
  const blocks: KnownBlock[] = [
    { type: "context", elements: [{ type: "mrkdwn", text: t("admin.intro") }] },
    textInput(ADMIN_MODAL.currency, t("admin.currency.label"), s.currency, { hint: t("admin.currency.hint"), maxLength: 3 }),
    {
      type: "input",
      block_id: ADMIN_MODAL.currencyConfirm,
      label: plain(t("admin.currencyConfirm.label")),
      optional: true,
      element: { type: "checkboxes", action_id: ADMIN_MODAL.currencyConfirm, options: [{ text: plain(t("admin.currencyConfirm.option")), value: "confirm" }] },
    },
    select(ADMIN_MODAL.fiscalStart, t("admin.fiscalStart.label"), months, String(s.fiscalYearStartMonth)),
    textInput(ADMIN_MODAL.timezone, t("admin.timezone.label"), s.timezone, { hint: t("admin.timezone.hint") }),
    select(ADMIN_MODAL.pace, t("admin.pace.label"), [option(t("admin.pace.business"), "business"), option(t("admin.pace.calendar"), "calendar")], s.paceMode),
    textInput(ADMIN_MODAL.neglectKey, t("admin.neglectKey.label"), String(s.neglectDays.key), { maxLength: 6 }),
    textInput(ADMIN_MODAL.neglectGrowth, t("admin.neglectGrowth.label"), String(s.neglectDays.growth), { maxLength: 6 }),
    textInput(ADMIN_MODAL.neglectStandard, t("admin.neglectStandard.label"), String(s.neglectDays.standard), { maxLength: 6 }),
    textInput(ADMIN_MODAL.giftLimit, `${t("admin.giftLimit.label")} (${s.currency})`, giftLimitText(s.giftLimitCents, locale), {
      hint: t("admin.giftLimit.hint"),
      optional: true,
      maxLength: 40,
    }),
    select(
      ADMIN_MODAL.giftYear,
      t("admin.giftYear.label"),
      [option(t("admin.giftYear.calendar"), "calendar"), option(t("admin.giftYear.rolling"), "rolling")],
      s.giftYearMode,
    ),
    textInput(ADMIN_MODAL.dealStall, t("admin.dealStall.label"), String(s.dealAttention.stallDays), { maxLength: 6 }),
    textInput(ADMIN_MODAL.dealCloseSoon, t("admin.dealCloseSoon.label"), String(s.dealAttention.closeSoonDays), { maxLength: 6 }),
    textInput(ADMIN_MODAL.dealNoTouch, t("admin.dealNoTouch.label"), String(s.dealAttention.noTouchDays), { maxLength: 6, hint: t("admin.dealNoTouch.hint") }),
    ...OPEN_STAGES.map((stage, i) =>
      textInput(ADMIN_MODAL.stageProbability[stage], t("admin.stageProbability.label", { stage: stageLabel(t, stage) }), String(s.stageProbabilities[stage]), {
        maxLength: 5,
        // One hint under the last of the four: what the numbers are for.
        ...(i === OPEN_STAGES.length - 1 ? { hint: t("admin.stageProbability.hint") } : {}),
      }),
    ),
    { type: "header", text: plain(t("admin.retention.header")) },
    textInput(ADMIN_MODAL.retentionNotes, t("admin.retentionNotes.label"), String(s.retention.touchNotesMonths), { maxLength: 6, hint: t("admin.retentionNotes.hint") }),
    textInput(ADMIN_MODAL.retentionDeals, t("admin.retentionDeals.label"), String(s.retention.closedDealsMonths), { maxLength: 6 }),
    textInput(ADMIN_MODAL.retentionDeparted, t("admin.retentionDeparted.label"), String(s.retention.departedMonths), { maxLength: 6, hint: t("admin.retentionDeparted.hint") }),
    textInput(ADMIN_MODAL.retentionGifts, t("admin.retentionGifts.label"), String(s.retention.giftYears), { maxLength: 6, hint: t("admin.retentionGifts.hint") }),
  ];
  return formModal({ t, callbackId: VIEWS.admin, title: t("admin.title"), blocks });
}

const FIELD_BLOCK: Record<WorkspaceSettingError["field"], string> = {
  currency: ADMIN_MODAL.currency,
  fiscalYearStartMonth: ADMIN_MODAL.fiscalStart,
  timezone: ADMIN_MODAL.timezone,
  paceMode: ADMIN_MODAL.pace,
  neglectKeyDays: ADMIN_MODAL.neglectKey,
  neglectGrowthDays: ADMIN_MODAL.neglectGrowth,
  neglectStandardDays: ADMIN_MODAL.neglectStandard,
  giftLimit: ADMIN_MODAL.giftLimit,
  giftYearMode: ADMIN_MODAL.giftYear,
  dealStallDays: ADMIN_MODAL.dealStall,
  dealCloseSoonDays: ADMIN_MODAL.dealCloseSoon,
  dealNoTouchDays: ADMIN_MODAL.dealNoTouch,
  stageProbabilityProspect: ADMIN_MODAL.stageProbability.prospect,
  stageProbabilityQualified: ADMIN_MODAL.stageProbability.qualified,
  stageProbabilityProposal: ADMIN_MODAL.stageProbability.proposal,
  stageProbabilityNegotiation: ADMIN_MODAL.stageProbability.negotiation,
  retentionTouchNotesMonths: ADMIN_MODAL.retentionNotes,
  retentionClosedDealsMonths: ADMIN_MODAL.retentionDeals,
  retentionDepartedMonths: ADMIN_MODAL.retentionDeparted,
  retentionGiftYears: ADMIN_MODAL.retentionGifts,
};

/** view_submission errors keyed by block id, one message per field. */
export function adminErrors(errors: readonly WorkspaceSettingError[], t: Translator): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) out[FIELD_BLOCK[e.field]] ??= t(`admin.error.${e.problem}`, { detail: e.detail, example: e.example });
  return out;
}

/** The error shown on the currency field until the admin confirms relabelling stored amounts. */
export function currencyConfirmError(c: { from: string; to: string; amounts: number }, t: Translator): Record<string, string> {
  return { [ADMIN_MODAL.currency]: t("admin.error.confirmCurrency", { from: c.from, to: c.to, count: c.amounts }) };
}

/** What was saved, in words: "currency, time zone". */
export function savedText(changed: readonly (keyof WorkspaceSettingsChanges)[], t: Translator): string {
  if (changed.length === 0) return t("admin.savedNothing");
  return t("admin.saved", { fields: changed.map((f) => t(`admin.field.${f}`)).join(", ") });
}

export interface AdminHomeView {
  settings: WorkspaceSettings;
  holidayCount: number;
  nextHoliday: { date: string; name: string | null } | null;
  /** The CRM sync's state, when a CRM is configured. */
  crm: CrmSummary | null;
}

/** The Home tab's Administration section (admins only): the current values, the CRM sync's line, and the button. */
export function adminHomeBlocks(view: AdminHomeView, f: ReminderFormat): KnownBlock[] {
  const { t, locale } = f;
  const s = view.settings;
  const summary = t("admin.home.summary", {
    currency: s.currency,
    month: t(`admin.month.${s.fiscalYearStartMonth}` as MessageKey),
    zone: s.timezone,
    pace: t(s.paceMode === "business" ? "admin.pace.business" : "admin.pace.calendar"),
    key: s.neglectDays.key,
    growth: s.neglectDays.growth,
    standard: s.neglectDays.standard,
    giftLimit: s.giftLimitCents === null ? t("admin.home.noGiftLimit") : formatMoney(s.giftLimitCents, s.currency, locale),
    giftYear: t(s.giftYearMode === "calendar" ? "admin.giftYear.calendar" : "admin.giftYear.rolling"),
    stall: s.dealAttention.stallDays,
    closeSoon: s.dealAttention.closeSoonDays,
    noTouch: s.dealAttention.noTouchDays,
    probabilities: OPEN_STAGES.map((stage) => `${stageLabel(t, stage)} ${formatPercent(s.stageProbabilities[stage] / 100, locale)}`).join(", "),
    notes: s.retention.touchNotesMonths,
    deals: s.retention.closedDealsMonths,
    departed: s.retention.departedMonths,
    gifts: s.retention.giftYears,
  });
  const next = view.nextHoliday
    ? t("admin.home.nextHoliday", { date: formatLocalDate(view.nextHoliday.date, locale), name: escapeMrkdwn(view.nextHoliday.name ?? "") })
    : "";
  return [
    { type: "divider" },
    { type: "header", text: plain(t("admin.home.header")) },
    { type: "section", text: { type: "mrkdwn", text: clip(summary) } },
    { type: "section", text: { type: "mrkdwn", text: clip(t("admin.home.holidays", { count: view.holidayCount, next }).trimEnd()) } },
    { type: "context", elements: [{ type: "mrkdwn", text: t("admin.home.holidaysHint") }] },
    ...(view.crm ? [{ type: "context" as const, elements: [{ type: "mrkdwn" as const, text: clip(crmHomeLine(f, CRM_NAME[view.crm.provider], view.crm)) }] }] : []),
    { type: "actions", block_id: "home_admin", elements: [{ type: "button", action_id: ACTIONS.homeAdmin, text: plain(t("admin.home.button")) }] },
  ];
}
