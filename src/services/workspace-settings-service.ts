/**
 * Workspace settings and holidays: the use cases behind `/ae admin` and `ae-assistant workspace` /
 * `holidays`. Both front ends validate through the same domain rules and save here, so a setting
 * means the same thing whichever way it was changed.
 *
 * Currency: amounts are stored as plain minor units with no currency of their own, so changing
 * the workspace currency relabels every stored amount. That is never done silently: when the
 * workspace holds amounts, `update` answers `confirm_currency` until the caller confirms.
 */
import type { DealAttentionThresholds } from "../domain/deal-attention.js";
import { effectiveGiftYears, type RetentionSettings } from "../domain/retention.js";
import type { StageProbabilities } from "../domain/forecast.js";
import { holidaysFor, type HolidayKind, type PublicHoliday } from "../domain/public-holidays.js";
import { isLocalDate, type LocalDate } from "../domain/time.js";
import {
  changedFields,
  validateWorkspaceSettings,
  type WorkspaceSettingError,
  type WorkspaceSettings,
  type WorkspaceSettingsChanges,
  type WorkspaceSettingsInput,
} from "../domain/workspace-settings.js";
import type { Workspace, WorkspaceRepository } from "../db/repositories/workspace-repository.js";

export type UpdateSettingsResult =
  | { status: "invalid"; errors: WorkspaceSettingError[] }
  | { status: "confirm_currency"; from: string; to: string; amounts: number }
  | { status: "saved"; settings: WorkspaceSettings; changed: (keyof WorkspaceSettingsChanges)[] };

export type HolidayImportResult =
  | { ok: true; country: string; region: string | null; year: number; found: number; added: number; holidays: PublicHoliday[] }
  | { ok: false; problem: "unknown_country" | "unknown_region" | "year_out_of_range"; detail: string; example: string; known?: string[] };

/** The settings of a stored workspace row, typed. */
export function settingsOf(ws: Workspace): WorkspaceSettings {
  return {
    currency: ws.currency,
    fiscalYearStartMonth: ws.fiscalYearStartMonth,
    timezone: ws.timezone,
    paceMode: ws.paceMode === "calendar" ? "calendar" : "business",
    neglectDays: { key: ws.neglectKeyDays, growth: ws.neglectGrowthDays, standard: ws.neglectStandardDays },
    giftLimitCents: ws.giftLimitCents === null ? null : Number(ws.giftLimitCents),
    giftYearMode: ws.giftYearMode === "rolling" ? "rolling" : "calendar",
    dealAttention: dealAttentionOf(ws),
    retention: retentionOf(ws),
    stageProbabilities: stageProbabilitiesOf(ws),
  };
}

/** The workspace's retention periods (README → Data protection); gifts never below FINRA's six years. */
export function retentionOf(ws: Pick<Workspace, "retentionTouchNotesMonths" | "retentionClosedDealsMonths" | "retentionDepartedMonths" | "retentionGiftYears">): RetentionSettings {
  return {
    touchNotesMonths: ws.retentionTouchNotesMonths,
    closedDealsMonths: ws.retentionClosedDealsMonths,
    departedMonths: ws.retentionDepartedMonths,
    giftYears: effectiveGiftYears(ws.retentionGiftYears),
  };
}

/** The workspace's stage probabilities (whole percent per open stage). */
export function stageProbabilitiesOf(
  ws: Pick<Workspace, "stageProbabilityProspect" | "stageProbabilityQualified" | "stageProbabilityProposal" | "stageProbabilityNegotiation">,
): StageProbabilities {
  return {
    prospect: ws.stageProbabilityProspect,
    qualified: ws.stageProbabilityQualified,
    proposal: ws.stageProbabilityProposal,
    negotiation: ws.stageProbabilityNegotiation,
  };
}

/** The workspace's deal-attention thresholds (the reminder's batch reads them from raw rows too). */
export function dealAttentionOf(ws: Pick<Workspace, "dealStallDays" | "dealCloseSoonDays" | "dealNoTouchDays">): DealAttentionThresholds {
  return { stallDays: ws.dealStallDays, closeSoonDays: ws.dealCloseSoonDays, noTouchDays: ws.dealNoTouchDays };
}

export class WorkspaceSettingsService {
  constructor(private readonly workspaces: WorkspaceRepository) {}

  /**
   * Validates and saves the given fields. `locale` reads typed amounts; `confirmCurrencyChange`
   * is the caller's "yes, relabel the stored amounts".
   */
  async update(
    ws: Workspace,
    input: WorkspaceSettingsInput,
    opts: { locale: string; confirmCurrencyChange?: boolean },
  ): Promise<UpdateSettingsResult> {
    const validation = validateWorkspaceSettings(input, opts.locale);
    if (!validation.ok) return { status: "invalid", errors: validation.errors };
    const current = settingsOf(ws);
    const changed = changedFields(current, validation.changes);
    const currency = validation.changes.currency;
    if (currency !== undefined && currency !== current.currency && !opts.confirmCurrencyChange) {
      const amounts = await this.workspaces.countAmounts(ws.id);
      if (amounts > 0) return { status: "confirm_currency", from: current.currency, to: currency, amounts };
    }
    if (changed.length === 0) return { status: "saved", settings: current, changed };
    // The gift limit is the one field stored differently (BigInt cents); the rest are stored as validated.
    const { giftLimitCents, ...rest } = validation.changes;
    const saved = await this.workspaces.update(ws.id, {
      ...rest,
      ...(giftLimitCents !== undefined ? { giftLimitCents: giftLimitCents === null ? null : BigInt(giftLimitCents) } : {}),
    });
    return { status: "saved", settings: settingsOf(saved), changed };
  }

  /** Holidays from `from` (inclusive) to `to` (exclusive), all when open. */
  async holidays(workspaceId: number, range: { from?: LocalDate; to?: LocalDate } = {}) {
    return this.workspaces.holidayRows(workspaceId, range);
  }

  async addHoliday(workspaceId: number, date: string, name: string | null): Promise<{ ok: true; added: boolean } | { ok: false; problem: "date_invalid" }> {
    if (!isLocalDate(date)) return { ok: false, problem: "date_invalid" };
    const added = await this.workspaces.addHolidays(workspaceId, [{ date, name: name?.trim().slice(0, 120) || null }]);
    return { ok: true, added: added > 0 };
  }

  async removeHoliday(workspaceId: number, date: string): Promise<{ ok: true; removed: boolean } | { ok: false; problem: "date_invalid" }> {
    if (!isLocalDate(date)) return { ok: false, problem: "date_invalid" };
    return { ok: true, removed: await this.workspaces.removeHoliday(workspaceId, date) };
  }

  /** Imports a country's (or region's) holidays of one year; dates already there are kept. */
  async importHolidays(
    workspaceId: number,
    query: { country: string; region?: string; year: number; extraKinds?: readonly HolidayKind[]; language?: string; dryRun?: boolean },
  ): Promise<HolidayImportResult> {
    const result = holidaysFor(query);
    if (!result.ok) return result;
    const added = query.dryRun
      ? 0
      : await this.workspaces.addHolidays(
          workspaceId,
          result.holidays.map((h) => ({ date: h.date, name: h.name.slice(0, 120) })),
        );
    return { ok: true, country: result.country, region: result.region, year: query.year, found: result.holidays.length, added, holidays: result.holidays };
  }
}
