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

/**
 * The same for HubSpot's default sales pipeline: its deal stage ids (internal values, not the
 * labels). A stage of another pipeline is its id (HubSpot gives those numeric ids), or, to map the
 * same id differently per pipeline, `pipelineId:stageId`.
 */
export const HUBSPOT_STAGE_MAP_EXAMPLE =
  "appointmentscheduled=prospect;qualifiedtobuy=qualified;presentationscheduled=proposal;decisionmakerboughtin=proposal;contractsent=negotiation;closedwon=won;closedlost=lost";

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
export type DealStageOutcome = { kind: "mapped"; stage: MappedStage; status: "open" | "won" | "lost" } | { kind: "unmapped"; crmStage: string; pipeline?: string };

/**
 * `pipeline` (HubSpot) lets `pipelineId:stageId` win over the bare stage id; Salesforce has no
 * pipelines, so its stage names are looked up exactly as they are (a ":" in one is just a character).
 */
export function mapStage(map: StageMap, crmStage: string | null, pipeline?: string | null): DealStageOutcome {
  const stage = crmStage === null ? undefined : ((pipeline ? map.get(`${pipeline}:${crmStage}`) : undefined) ?? map.get(crmStage));
  if (stage === undefined) return { kind: "unmapped", crmStage: crmStage ?? "(none)", ...(pipeline ? { pipeline } : {}) };
  return { kind: "mapped", stage, status: stage === "won" || stage === "lost" ? stage : "open" };
}

/** A deal's CRM-owned fields as the CRM has them (the pull reads them; the push reads them back). */
export interface CrmDealValues {
  stage: string | null;
  amountCents: number | null;
  closeDate: LocalDate | null;
  /** The CRM's stamp: won/lost on it when there is no close date. */
  modifiedAt: Date;
  /** HubSpot's pipeline of the deal (`pipelineId:stageId` entries of the map win); Salesforce has none. */
  pipeline?: string | null;
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
  const stage = mapStage(map, v.stage, v.pipeline);
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

/** The id reconcile runs at most this often (a full pass reconciles too, with the ids it read). */
export const RECONCILE_EVERY_MS = 24 * 3600_000;

/** Whether the daily id reconcile is due: never done, or done a day ago. */
export function reconcileDue(lastAt: Date | null, now: Date, everyMs = RECONCILE_EVERY_MS): boolean {
  return lastAt === null || now.getTime() - lastAt.getTime() >= everyMs - 60_000;
}

/** Up to this many missing rows are archived without asking, whatever their share. */
const RECONCILE_ALWAYS = 20;
/** A larger share missing looks like lost permissions more than deletions. */
const RECONCILE_MAX_SHARE = 0.1;

export type ReconcilePlan<T> = { kind: "archive"; archive: T[] } | { kind: "refused"; missing: number; here: number };

/**
 * What a reconcile does: the rows here whose CRM id the CRM no longer has are archived, unless
 * they are more than a tenth (and more than 20): then nothing, and the caller reports it, unless
 * `allowMass` (someone confirmed the CRM really lost them).
 */
export function reconcilePlan<T extends { externalId: string }>(here: T[], live: ReadonlySet<string>, allowMass: boolean): ReconcilePlan<T> {
  const archive = here.filter((r) => !live.has(r.externalId));
  if (!allowMass && archive.length > RECONCILE_ALWAYS && archive.length > here.length * RECONCILE_MAX_SHARE) {
    return { kind: "refused", missing: archive.length, here: here.length };
  }
  return { kind: "archive", archive };
}
