/**
 * The workspace settings an admin changes (`/ae admin`, `ae-assistant workspace set`): what each
 * accepts and what a wrong value is told. Pure: text in, typed changes or per-field problems out.
 *
 * Every field is optional in the input; only the fields given are validated and changed. An
 * empty gift limit means "no firm limit" (the FINRA limit alone applies).
 */
import { isKnownCurrency, parseAmount } from "./amounts.js";
import type { PaceMode } from "./periods.js";
import { canonicalZone, isValidTimeZone } from "./time.js";
import type { Tier } from "./account-tiers.js";
import type { DealAttentionThresholds } from "./deal-attention.js";
import { LEGAL_FLOOR_GIFT_YEARS, MAX_GIFT_YEARS, MAX_RETENTION_MONTHS, type RetentionSettings } from "./retention.js";
import { OPEN_STAGES, type OpenStage } from "./deal-stages.js";
import { DEFAULT_STAGE_PROBABILITIES, type StageProbabilities } from "./forecast.js";

export type GiftYearMode = "calendar" | "rolling";

/** The stored settings, as services and views see them. */
export interface WorkspaceSettings {
  currency: string;
  fiscalYearStartMonth: number;
  timezone: string;
  paceMode: PaceMode;
  neglectDays: Record<Tier, number>;
  /** Firm gift limit per recipient per year in cents; null = the FINRA limit only. */
  giftLimitCents: number | null;
  giftYearMode: GiftYearMode;
  /** When an open deal needs attention in the daily reminder. */
  dealAttention: DealAttentionThresholds;
  /** How long each kind of data is kept (src/domain/retention.ts). */
  retention: RetentionSettings;
  /** Whole percent per open stage, for the weighted pipeline. */
  stageProbabilities: StageProbabilities;
}

export type WorkspaceSettingField =
  | "currency"
  | "fiscalYearStartMonth"
  | "timezone"
  | "paceMode"
  | "neglectKeyDays"
  | "neglectGrowthDays"
  | "neglectStandardDays"
  | "giftLimit"
  | "giftYearMode"
  | "dealStallDays"
  | "dealCloseSoonDays"
  | "dealNoTouchDays"
  | "retentionTouchNotesMonths"
  | "retentionClosedDealsMonths"
  | "retentionDepartedMonths"
  | "retentionGiftYears"
  | StageProbabilityField;

/** The field holding each open stage's probability. */
export type StageProbabilityField = "stageProbabilityProspect" | "stageProbabilityQualified" | "stageProbabilityProposal" | "stageProbabilityNegotiation";

export const STAGE_PROBABILITY_FIELD: Readonly<Record<OpenStage, StageProbabilityField>> = {
  prospect: "stageProbabilityProspect",
  qualified: "stageProbabilityQualified",
  proposal: "stageProbabilityProposal",
  negotiation: "stageProbabilityNegotiation",
};

export const WORKSPACE_SETTING_FIELDS: readonly WorkspaceSettingField[] = [
  "currency",
  "fiscalYearStartMonth",
  "timezone",
  "paceMode",
  "neglectKeyDays",
  "neglectGrowthDays",
  "neglectStandardDays",
  "giftLimit",
  "giftYearMode",
  "dealStallDays",
  "dealCloseSoonDays",
  "dealNoTouchDays",
  "retentionTouchNotesMonths",
  "retentionClosedDealsMonths",
  "retentionDepartedMonths",
  "retentionGiftYears",
  ...OPEN_STAGES.map((stage) => STAGE_PROBABILITY_FIELD[stage]),
];

/** Raw text per field, as typed in the modal or given on the command line. */
export type WorkspaceSettingsInput = Partial<Record<WorkspaceSettingField, string>>;

export type WorkspaceSettingsChanges = Partial<{
  currency: string;
  fiscalYearStartMonth: number;
  timezone: string;
  paceMode: PaceMode;
  neglectKeyDays: number;
  neglectGrowthDays: number;
  neglectStandardDays: number;
  giftLimitCents: number | null;
  giftYearMode: GiftYearMode;
  dealStallDays: number;
  dealCloseSoonDays: number;
  dealNoTouchDays: number;
  retentionTouchNotesMonths: number;
  retentionClosedDealsMonths: number;
  retentionDepartedMonths: number;
  retentionGiftYears: number;
}> &
  Partial<Record<StageProbabilityField, number>>;

export type WorkspaceSettingProblem =
  | "currency_unknown"
  | "timezone_unknown"
  | "fiscal_start_out_of_range"
  | "pace_unknown"
  | "neglect_invalid"
  | "gift_limit_invalid"
  | "gift_year_unknown"
  | "deal_days_invalid"
  | "close_soon_invalid"
  | "retention_months_invalid"
  | "retention_gift_years_invalid"
  | "retention_gift_years_below_floor"
  | "probability_invalid";

export interface WorkspaceSettingError {
  field: WorkspaceSettingField;
  problem: WorkspaceSettingProblem;
  /** The offending text, cut short, for the message. */
  detail: string;
  /** A value that would have been accepted, to show next to the problem. */
  example: string;
}

export type WorkspaceSettingsValidation =
  | { ok: true; changes: WorkspaceSettingsChanges }
  | { ok: false; errors: WorkspaceSettingError[] };

/** Longest neglect threshold accepted: a key account untouched for more than a year is not "neglect". */
export const MAX_NEGLECT_DAYS = 365;
/** Longest stall and no-touch thresholds for deals: the same year. */
export const MAX_DEAL_DAYS = 365;
/** Longest close-soon window: a quarter's worth of "soon" would flag the whole pipeline. */
export const MAX_CLOSE_SOON_DAYS = 90;

const EXAMPLES: Record<WorkspaceSettingField, string> = {
  currency: "EUR",
  fiscalYearStartMonth: "4",
  timezone: "Europe/Berlin",
  paceMode: "business",
  neglectKeyDays: "7",
  neglectGrowthDays: "14",
  neglectStandardDays: "30",
  giftLimit: "100",
  giftYearMode: "calendar",
  dealStallDays: "30",
  dealCloseSoonDays: "7",
  dealNoTouchDays: "7",
  retentionTouchNotesMonths: "36",
  retentionClosedDealsMonths: "84",
  retentionDepartedMonths: "12",
  retentionGiftYears: String(LEGAL_FLOOR_GIFT_YEARS),
  stageProbabilityProspect: String(DEFAULT_STAGE_PROBABILITIES.prospect),
  stageProbabilityQualified: String(DEFAULT_STAGE_PROBABILITIES.qualified),
  stageProbabilityProposal: String(DEFAULT_STAGE_PROBABILITIES.proposal),
  stageProbabilityNegotiation: String(DEFAULT_STAGE_PROBABILITIES.negotiation),
};

function wholeNumber(text: string): number | null {
  return /^\d{1,6}$/.test(text) ? Number(text) : null;
}

/** Validates the fields present in `input`. `locale` reads the gift limit ("1.000" in de-DE). */
export function validateWorkspaceSettings(input: WorkspaceSettingsInput, locale: string): WorkspaceSettingsValidation {
  const errors: WorkspaceSettingError[] = [];
  const changes: WorkspaceSettingsChanges = {};
  const fail = (field: WorkspaceSettingField, problem: WorkspaceSettingProblem, raw: string) =>
    errors.push({ field, problem, detail: raw.slice(0, 60), example: EXAMPLES[field] });

  for (const field of WORKSPACE_SETTING_FIELDS) {
    const given = input[field];
    if (given === undefined) continue;
    const raw = given.trim();
    switch (field) {
      case "currency": {
        const code = raw.toUpperCase();
        if (/^[A-Z]{3}$/.test(code) && isKnownCurrency(code)) changes.currency = code;
        else fail(field, "currency_unknown", raw);
        break;
      }
      case "timezone":
        if (raw !== "" && isValidTimeZone(raw)) changes.timezone = canonicalZone(raw);
        else fail(field, "timezone_unknown", raw);
        break;
      case "fiscalYearStartMonth": {
        const month = wholeNumber(raw);
        if (month !== null && month >= 1 && month <= 12) changes.fiscalYearStartMonth = month;
        else fail(field, "fiscal_start_out_of_range", raw);
        break;
      }
      case "paceMode": {
        const mode = raw.toLowerCase();
        if (mode === "business" || mode === "calendar") changes.paceMode = mode;
        else fail(field, "pace_unknown", raw);
        break;
      }
      case "neglectKeyDays":
      case "neglectGrowthDays":
      case "neglectStandardDays": {
        const days = wholeNumber(raw);
        if (days !== null && days >= 1 && days <= MAX_NEGLECT_DAYS) changes[field] = days;
        else fail(field, "neglect_invalid", raw);
        break;
      }
      case "giftLimit": {
        if (raw === "") {
          changes.giftLimitCents = null;
          break;
        }
        const amount = parseAmount(raw, locale);
        if (amount.ok && amount.cents > 0) changes.giftLimitCents = amount.cents;
        else fail(field, "gift_limit_invalid", raw);
        break;
      }
      case "giftYearMode": {
        const mode = raw.toLowerCase();
        if (mode === "calendar" || mode === "rolling") changes.giftYearMode = mode;
        else fail(field, "gift_year_unknown", raw);
        break;
      }
      case "dealStallDays":
      case "dealNoTouchDays": {
        const days = wholeNumber(raw);
        if (days !== null && days >= 1 && days <= MAX_DEAL_DAYS) changes[field] = days;
        else fail(field, "deal_days_invalid", raw);
        break;
      }
      case "dealCloseSoonDays": {
        const days = wholeNumber(raw);
        if (days !== null && days >= 1 && days <= MAX_CLOSE_SOON_DAYS) changes.dealCloseSoonDays = days;
        else fail(field, "close_soon_invalid", raw);
        break;
      }
      case "retentionTouchNotesMonths":
      case "retentionClosedDealsMonths":
      case "retentionDepartedMonths": {
        const months = wholeNumber(raw);
        if (months !== null && months >= 1 && months <= MAX_RETENTION_MONTHS) changes[field] = months;
        else fail(field, "retention_months_invalid", raw);
        break;
      }
      case "retentionGiftYears": {
        // FINRA Rule 4511(c): six years where nothing else applies; a firm may keep them longer.
        const years = wholeNumber(raw);
        if (years === null || years > MAX_GIFT_YEARS) fail(field, "retention_gift_years_invalid", raw);
        else if (years < LEGAL_FLOOR_GIFT_YEARS) fail(field, "retention_gift_years_below_floor", raw);
        else changes.retentionGiftYears = years;
        break;
      }
      case "stageProbabilityProspect":
      case "stageProbabilityQualified":
      case "stageProbabilityProposal":
      case "stageProbabilityNegotiation": {
        // "25" or "25 %": a whole percent from 0 to 100.
        const percent = wholeNumber(raw.replace(/\s*%$/u, ""));
        if (percent !== null && percent <= 100) changes[field] = percent;
        else fail(field, "probability_invalid", raw);
        break;
      }
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, changes };
}

export type SpecResult<F extends WorkspaceSettingField> = { ok: true; input: Partial<Record<F, string>> } | { ok: false; detail: string };

/**
 * Reads a command line's `name:value,name:value` list (any subset, any order) into field input,
 * with `fields` naming the field of each accepted name; the values are validated later, as typed.
 */
function parseSpec<F extends WorkspaceSettingField>(text: string, fields: Readonly<Record<string, F>>): SpecResult<F> {
  const input: Partial<Record<F, string>> = {};
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]+)\s*[:=]\s*(.*)$/i.exec(part);
    const name = m?.[1]?.toLowerCase();
    if (!m || name === undefined || !Object.hasOwn(fields, name)) return { ok: false, detail: part.slice(0, 60) };
    input[fields[name]!] = m[2]!;
  }
  return Object.keys(input).length > 0 ? { ok: true, input } : { ok: false, detail: text.slice(0, 60) };
}

type NeglectField = "neglectKeyDays" | "neglectGrowthDays" | "neglectStandardDays";
export type NeglectSpecResult = SpecResult<NeglectField>;

const TIER_FIELD: Record<Tier, NeglectField> = {
  key: "neglectKeyDays",
  growth: "neglectGrowthDays",
  standard: "neglectStandardDays",
};

/** Reads the command line's `key:7,growth:14,standard:30` (any subset, any order) into field input. */
export function parseNeglectSpec(text: string): NeglectSpecResult {
  return parseSpec(text, TIER_FIELD);
}

/** Reads the command line's `prospect:10,qualified:25,proposal:50,negotiation:75` (any subset) into field input. */
export function parseProbabilitySpec(text: string): SpecResult<StageProbabilityField> {
  return parseSpec(text, STAGE_PROBABILITY_FIELD);
}

/** Fields whose value differs between `changes` and the current settings. */
export function changedFields(current: WorkspaceSettings, changes: WorkspaceSettingsChanges): (keyof WorkspaceSettingsChanges)[] {
  const now: Required<WorkspaceSettingsChanges> = {
    currency: current.currency,
    fiscalYearStartMonth: current.fiscalYearStartMonth,
    timezone: current.timezone,
    paceMode: current.paceMode,
    neglectKeyDays: current.neglectDays.key,
    neglectGrowthDays: current.neglectDays.growth,
    neglectStandardDays: current.neglectDays.standard,
    giftLimitCents: current.giftLimitCents,
    giftYearMode: current.giftYearMode,
    dealStallDays: current.dealAttention.stallDays,
    dealCloseSoonDays: current.dealAttention.closeSoonDays,
    dealNoTouchDays: current.dealAttention.noTouchDays,
    retentionTouchNotesMonths: current.retention.touchNotesMonths,
    retentionClosedDealsMonths: current.retention.closedDealsMonths,
    retentionDepartedMonths: current.retention.departedMonths,
    retentionGiftYears: current.retention.giftYears,
    stageProbabilityProspect: current.stageProbabilities.prospect,
    stageProbabilityQualified: current.stageProbabilities.qualified,
    stageProbabilityProposal: current.stageProbabilities.proposal,
    stageProbabilityNegotiation: current.stageProbabilities.negotiation,
  };
  return (Object.keys(changes) as (keyof WorkspaceSettingsChanges)[]).filter((k) => changes[k] !== now[k]);
}
