import { mapStage, type MappedStage, type StageMap } from "./crm-sync.js";
import { periodForLocalDate } from "./periods.js";
import { addLocalDays, localDateOf, type LocalDate } from "./time.js";
import type { TouchKind } from "./touch-args.js";

/**
 * Pure rules of the CRM push (bot → CRM): what a touch, a follow-up and a deal become in the CRM,
 * in CRM-agnostic records (a connector maps them to its own fields: Salesforce Task/Event/
 * Opportunity, HubSpot engagements and deals), which stage a deal's stage is written as, and when
 * a change made in Slack lost to a change made in the CRM.
 *
 * What goes into the CRM is data other people read there, so its words are fixed English (like a
 * period's label), never the rep's Slack language.
 */

/** Each CRM's name, as people read it in Slack and the CLI. */
export const CRM_NAME: Record<"salesforce" | "hubspot", string> = { salesforce: "Salesforce", hubspot: "HubSpot" };

export const CRM_ENTITIES = ["touch", "followUp", "deal"] as const;
export type CrmEntity = (typeof CRM_ENTITIES)[number];

/** What happened to the row: created, a deal's CRM-owned fields changed, a follow-up done or handed over. */
export type CrmOp = "create" | "update" | "complete" | "reassign";

/**
 * The value of the CRM's external id field for one of our rows: unique per Slack workspace, entity
 * and id, and the same on every retry, so a write that may already have reached the CRM is never
 * made twice (the field is unique there).
 */
export function pushKey(slackTeamId: string, entity: CrmEntity, id: number): string {
  return `${slackTeamId}-${entity}-${id}`;
}

/** The record of ours a key names, when it is this workspace's (a record the push made in the CRM). */
export function parsePushKey(key: string | null | undefined, slackTeamId: string): { entity: CrmEntity; id: number } | null {
  if (!key || !key.startsWith(`${slackTeamId}-`)) return null;
  const m = /^(touch|followUp|deal)-(\d{1,12})$/.exec(key.slice(slackTeamId.length + 1));
  return m ? { entity: m[1] as CrmEntity, id: Number(m[2]) } : null;
}

/** A CRM id as stored on our rows (`sf:00T…`) without its prefix; null when it has another CRM's prefix. */
export function crmIdOf(externalId: string | null, prefix: string): string | null {
  return externalId !== null && externalId.startsWith(`${prefix}:`) ? externalId.slice(prefix.length + 1) : null;
}

const SUBJECT_MAX = 255;
const DESCRIPTION_MAX = 32_000;

/** How a touch is filed in the CRM: a completed call, email or note, or a meeting on the calendar. */
export type ActivityType = "call" | "email" | "note" | "meeting";

const ACTIVITY_TYPE: Record<TouchKind, ActivityType> = {
  call: "call",
  email: "email",
  note: "note",
  meeting: "meeting",
  demo: "meeting",
  meal: "meeting",
  entertainment: "meeting",
};

/** The touch's kind as the CRM's users read it. */
export const TOUCH_LABEL: Record<TouchKind, string> = {
  call: "Call",
  email: "Email",
  note: "Note",
  meeting: "Meeting",
  demo: "Demo",
  meal: "Meal",
  entertainment: "Entertainment",
};

/**
 * How long a meeting-like touch lasts on the CRM calendar. A touch has no duration (the rep logs
 * that it happened), so each kind gets a usual length, ending when it was logged.
 */
export const MEETING_MINUTES: Record<TouchKind, number> = { meeting: 30, demo: 60, meal: 90, entertainment: 120, call: 0, email: 0, note: 0 };

/** A touch as the CRM gets it: a completed activity on the account. */
export interface ActivityRecord {
  key: string;
  type: ActivityType;
  subject: string;
  description: string;
  /** The day it happened, in the rep's zone. */
  date: LocalDate;
  /** Meetings: start and length (it ends when it was logged). */
  start: Date;
  minutes: number;
  /** The account's id in the CRM (no prefix). */
  accountCrmId: string;
  /** Whose it is in the CRM (matched to a CRM user by email; the integration user when unknown). */
  ownerEmail: string | null;
}

/** A follow-up as the CRM gets it: a task on the account, open until done. */
export interface TaskRecord {
  key: string;
  subject: string;
  description: string;
  dueDate: LocalDate;
  /** The instant it is due (a CRM whose tasks are due at a time, HubSpot, takes this). */
  dueAt: Date;
  done: boolean;
  accountCrmId: string;
  ownerEmail: string | null;
}

/** A deal opened in Slack as the CRM gets it. */
export interface OpportunityRecord {
  key: string;
  name: string;
  accountCrmId: string;
  amountCents: number;
  closeDate: LocalDate;
  /** The CRM's stage (mapped back through CRM_STAGE_MAP). */
  crmStage: string;
  ownerEmail: string | null;
}

/** The CRM-owned fields of a deal that a change in Slack writes (only those that changed). */
export interface OpportunityChanges {
  crmStage?: string;
  amountCents?: number;
  closeDate?: LocalDate;
}

/** An opportunity as the CRM has it now (read just before a change is written). */
export interface CrmOpportunityState {
  crmId: string;
  /** The CRM's last-modified stamp (Salesforce SystemModstamp, HubSpot hs_lastmodifieddate). */
  modifiedAt: Date;
  crmStage: string | null;
  /** HubSpot: the deal's pipeline (its stage is one of that pipeline's); null on Salesforce. */
  pipeline: string | null;
  amountCents: number | null;
  closeDate: LocalDate | null;
}

function clipText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim() !== "")?.trim() ?? "";
}

/** "Ada Lovelace, with Bob and Carol" — who logged it, and who was there. */
function byLine(author: string, with_: string[]): string {
  return with_.length > 0 ? `${author}, with ${with_.join(", ")}` : author;
}

export interface TouchForCrm {
  kind: TouchKind;
  occurredAt: Date;
  note: string | null;
  /** The rep's name as the team knows it. */
  authorName: string;
  /** Colleagues who were there (names). */
  participantNames: string[];
}

/** What a touch becomes in the CRM (`zone`: the rep's; the day it happened is theirs). */
export function touchActivity(touch: TouchForCrm, ctx: { key: string; zone: string; accountCrmId: string; ownerEmail: string | null }): ActivityRecord {
  const label = TOUCH_LABEL[touch.kind];
  const note = touch.note?.trim() ?? "";
  const headline = firstLine(note);
  const minutes = MEETING_MINUTES[touch.kind];
  return {
    key: ctx.key,
    type: ACTIVITY_TYPE[touch.kind],
    subject: clipText(headline === "" ? `${label} (logged in Slack)` : `${label}: ${headline}`, SUBJECT_MAX),
    description: clipText([note, `Logged in Slack by ${byLine(touch.authorName, touch.participantNames)}.`].filter((p) => p !== "").join("\n\n"), DESCRIPTION_MAX),
    date: localDateOf(touch.occurredAt, ctx.zone),
    start: new Date(touch.occurredAt.getTime() - minutes * 60_000),
    minutes,
    accountCrmId: ctx.accountCrmId,
    ownerEmail: ctx.ownerEmail,
  };
}

export interface FollowUpForCrm {
  title: string;
  dueAt: Date;
  status: string;
  ownerName: string;
}

/** What a follow-up becomes in the CRM: a task due on its day (in the owner's zone), done when it is. */
export function followUpTask(f: FollowUpForCrm, ctx: { key: string; zone: string; accountCrmId: string; ownerEmail: string | null }): TaskRecord {
  return {
    key: ctx.key,
    subject: clipText(f.title.trim() === "" ? "Follow-up" : f.title.trim(), SUBJECT_MAX),
    description: `Follow-up set in Slack by ${f.ownerName}.`,
    dueDate: localDateOf(f.dueAt, ctx.zone),
    dueAt: f.dueAt,
    done: f.status === "done",
    accountCrmId: ctx.accountCrmId,
    ownerEmail: ctx.ownerEmail,
  };
}

/** Our stage in the CRM's words, or unmapped (reported, never written). */
export type CrmStageOutcome = { kind: "mapped"; crmStage: string } | { kind: "unmapped"; stage: string };

/**
 * The CRM stage our stage is written as: CRM_STAGE_MAP read backwards. When several CRM stages map
 * to our stage ("Needs Analysis=qualified;Qualification=qualified"), the opportunity's current CRM
 * stage is kept if it is one of them (nothing to change), else the first one listed in the map.
 * A stage no CRM stage maps to is unmapped: reported, never guessed.
 *
 * `pipeline` (HubSpot, a deal that has one): a stage of that pipeline only — its
 * `pipelineId:stageId` entry first, else a bare stage id — never another pipeline's entry (that
 * would move the deal to another pipeline). A new deal (no pipeline yet) takes the first entry
 * listed; the writer finds its pipeline. Salesforce has no pipelines: its stage names are taken
 * as they are (a ":" in one is just a character).
 */
export function crmStageFor(map: StageMap, stage: string, currentCrmStage: string | null, pipeline?: string | null): CrmStageOutcome {
  if (currentCrmStage !== null) {
    const now = mapStage(map, currentCrmStage, pipeline);
    if (now.kind === "mapped" && now.stage === stage) return { kind: "mapped", crmStage: currentCrmStage };
  }
  const entries = [...map].filter(([, ours]) => ours === (stage as MappedStage)).map(([crm]) => crm);
  if (pipeline) {
    const own = entries.find((crm) => crm.startsWith(`${pipeline}:`));
    if (own !== undefined) return { kind: "mapped", crmStage: own.slice(pipeline.length + 1) };
    const bare = entries.find((crm) => !crm.includes(":"));
    return bare !== undefined ? { kind: "mapped", crmStage: bare } : { kind: "unmapped", stage };
  }
  const first = entries[0];
  return first !== undefined ? { kind: "mapped", crmStage: first } : { kind: "unmapped", stage };
}

/**
 * A deal's close date for the CRM: its expected close date, else — the CRM requires one — the last
 * day of the fiscal quarter it was opened in (in the owner's zone). Won or lost: the day it closed.
 */
export function crmCloseDate(deal: { expectedCloseAt: Date | null; wonAt: Date | null; lostAt: Date | null; createdAt: Date }, zone: string, fiscalYearStartMonth: number): LocalDate {
  const closed = deal.wonAt ?? deal.lostAt;
  if (closed) return localDateOf(closed, zone);
  if (deal.expectedCloseAt) return localDateOf(deal.expectedCloseAt, zone);
  const quarter = periodForLocalDate("quarter", localDateOf(deal.createdAt, zone), zone, fiscalYearStartMonth);
  return addLocalDays(quarter.endDate, -1);
}

/** An opportunity's name for a deal opened in Slack (deals there have no title): "Acme Rockets – 2026-12-08". */
export function opportunityName(deal: { title: string | null; createdAt: Date }, accountName: string, zone: string): string {
  return clipText(deal.title?.trim() || `${accountName} – ${localDateOf(deal.createdAt, zone)}`, 120);
}

/**
 * Whether a change made in Slack lost to a change made in the CRM: the CRM's record changed since
 * the stamp the change was made against (the last pull, or our own last write). No stamp (the
 * opportunity was never pulled nor written by us) counts as unchanged.
 */
export function changedInCrm(baseline: Date | null, current: Date): boolean {
  return baseline !== null && current.getTime() > baseline.getTime();
}

/**
 * One queued change of a deal's CRM-owned fields, in our terms: the stage, the amount, the close
 * instant (won/lost: when it closed; else the expected close). Only the fields that changed.
 */
export interface DealChange {
  stage?: string;
  amountCents?: number;
  /** ISO instant; written as the day in the owner's zone. */
  closeAt?: string;
}

/** Several queued changes of one deal, pushed together: every field changed, the latest value of each. */
export function mergeDealChanges(changes: DealChange[]): DealChange {
  const out: DealChange = {};
  for (const c of changes) {
    if (c.stage !== undefined) out.stage = c.stage;
    if (c.amountCents !== undefined) out.amountCents = c.amountCents;
    if (c.closeAt !== undefined) out.closeAt = c.closeAt;
  }
  return out;
}

/** The earliest stamp among queued changes: a CRM change after the first of them is a conflict. */
export function earliestBaseline(baselines: (Date | null)[]): Date | null {
  let out: Date | null = null;
  for (const b of baselines) if (b !== null && (out === null || b < out)) out = b;
  return out;
}
