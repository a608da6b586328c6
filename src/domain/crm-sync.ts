import { OPEN_STAGES } from "./deal-stages.js";
import { startOfLocalDate, type LocalDate } from "./time.js";

/**
 * Pure rules of the CRM pull: the stage mapping (configuration, never guessed) and the window an
 * incremental pull re-reads. The CRM owns account and opportunity fields; these rules decide what
 * a CRM value becomes here.
 */

/** Our deal stages a CRM stage may map to: the open stages, won and lost. */
export const MAPPED_STAGES = [...OPEN_STAGES, "won", "lost"] as const;
export type MappedStage = (typeof MAPPED_STAGES)[number];

/** CRM stage name (as the CRM spells it) → our stage. */
export type StageMap = ReadonlyMap<string, MappedStage>;

export type StageMapParse = { ok: true; map: StageMap } | { ok: false; problems: string[] };

export const STAGE_MAP_EXAMPLE = "Prospecting=prospect;Qualification=qualified;Proposal/Price Quote=proposal;Negotiation/Review=negotiation;Closed Won=won;Closed Lost=lost";

function isMappedStage(value: string): value is MappedStage {
  return (MAPPED_STAGES as readonly string[]).includes(value);
}

/**
 * Parses `CRM_STAGE_MAP`: `CRM stage=our stage` pairs separated by `;`. CRM stage names are kept
 * exactly (Salesforce compares picklist values exactly); our stage is case-insensitive.
 */
export function parseStageMap(text: string): StageMapParse {
  const map = new Map<string, MappedStage>();
  const problems: string[] = [];
  for (const part of text.split(";")) {
    if (part.trim() === "") continue;
    const eq = part.lastIndexOf("=");
    const crm = eq === -1 ? "" : part.slice(0, eq).trim();
    const ours = eq === -1 ? "" : part.slice(eq + 1).trim().toLowerCase();
    if (crm === "" || ours === "") {
      problems.push(`"${part.trim()}" is not "CRM stage=our stage"`);
      continue;
    }
    if (!isMappedStage(ours)) {
      problems.push(`"${crm}" maps to "${ours}", which is not one of ${MAPPED_STAGES.join(", ")}`);
      continue;
    }
    if (map.has(crm) && map.get(crm) !== ours) problems.push(`"${crm}" is mapped twice`);
    map.set(crm, ours);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, map };
}

/** What a CRM stage means for a deal: its stage and status, or unmapped (reported, not written). */
export type DealStageOutcome = { kind: "mapped"; stage: MappedStage; status: "open" | "won" | "lost" } | { kind: "unmapped"; crmStage: string };

export function mapStage(map: StageMap, crmStage: string | null): DealStageOutcome {
  const stage = crmStage === null ? undefined : map.get(crmStage);
  if (stage === undefined) return { kind: "unmapped", crmStage: crmStage ?? "(none)" };
  return { kind: "mapped", stage, status: stage === "won" || stage === "lost" ? stage : "open" };
}

/** A deal's CRM-owned fields as the CRM has them (the pull reads them; the push reads them back). */
export interface CrmDealValues {
  stage: string | null;
  amountCents: number | null;
  closeDate: LocalDate | null;
  /** The CRM's stamp: won/lost on it when there is no close date. */
  modifiedAt: Date;
}

export interface DealFromCrm {
  amountCents: number;
  expectedCloseAt: Date | null;
  /** Absent when the CRM's stage is not mapped (reported in `unmapped`, not written). */
  stage?: MappedStage;
  status?: "open" | "won" | "lost";
  wonAt?: Date | null;
  lostAt?: Date | null;
  unmapped?: string;
}

/**
 * What our deal becomes from the CRM's values: amount, expected close (the start of the close date
 * in the owner's zone), and — when the stage is mapped — stage, status and won/lost on the close
 * date (kept when it was already won/lost: a later edit does not move it).
 */
export function dealFromCrm(v: CrmDealValues, map: StageMap, zone: string, current?: { status: string; wonAt: Date | null; lostAt: Date | null }): DealFromCrm {
  const closeAt = v.closeDate ? startOfLocalDate(v.closeDate, zone) : null;
  const base = { amountCents: v.amountCents ?? 0, expectedCloseAt: closeAt };
  const stage = mapStage(map, v.stage);
  if (stage.kind === "unmapped") return { ...base, unmapped: stage.crmStage };
  const closedAt = (status: "won" | "lost", was: Date | null | undefined) => (stage.status !== status ? null : current?.status === status && was ? was : (closeAt ?? v.modifiedAt));
  return { ...base, stage: stage.stage, status: stage.status, wonAt: closedAt("won", current?.wonAt), lostAt: closedAt("lost", current?.lostAt) };
}

/** Re-read this far behind the cursor: a record committed late can carry an earlier stamp. */
export const DEFAULT_OVERLAP_MS = 60_000;

/** Where an incremental pull starts: null (everything) before the first record, else cursor − overlap. */
export function pullStart(cursorAt: Date | null, overlapMs: number): Date | null {
  return cursorAt === null ? null : new Date(cursorAt.getTime() - overlapMs);
}

/** Whether a pull is due: never run, or the interval since the last run has passed, and no backoff. */
export function pullDue(now: Date, lastRunAt: Date | null, intervalMinutes: number, backoffUntil: Date | null): boolean {
  if (backoffUntil !== null && now < backoffUntil) return false;
  return lastRunAt === null || now.getTime() - lastRunAt.getTime() >= intervalMinutes * 60_000 - 1_000;
}

/** After the n-th rate limit in a row: wait interval × 2^(n−1), at most an hour. */
export function backoffMs(consecutive: number, intervalMinutes: number): number {
  return Math.min(60 * 60_000, intervalMinutes * 60_000 * 2 ** Math.max(0, consecutive - 1));
}
