import type { ActivityRecord, CrmOpportunityState, OpportunityChanges, OpportunityRecord, TaskRecord } from "../../domain/crm-push.js";
import type { StageMap } from "../../domain/crm-sync.js";
import type { CrmCheck, CrmProvider } from "./crm-connector.js";

/**
 * The push side of a CRM (bot → CRM), apart from `CrmConnector` (the pull) so a CRM without push
 * still is a complete connector. The commands are CRM-agnostic and take plain records
 * (domain/crm-push.ts); a writer knows its CRM's objects, field names and HTTP.
 *
 * Exactly once: every create carries the record's key in a field of the CRM's (Salesforce's
 * unique external id field `AE_Assistant_Id__c`, HubSpot's property `ae_assistant_id`). A create
 * that may already have been made (a timeout, a crash before we recorded its id) is marked
 * `resumed`: the writer finds the existing record by its key and returns its id instead of making
 * a second record (Salesforce refuses the duplicate key and the writer looks it up; HubSpot has no
 * upsert for engagements, so the writer searches by the key before it creates again).
 *
 * Failures of a whole request are thrown as CrmAuthError, CrmRateLimitError, CrmSetupError or
 * CrmError (transient); a record the CRM refuses is a `rejected` result with the CRM's words.
 */

/** `resumed`: an earlier attempt at this create may have reached the CRM (look for it by its key first). */
export type CrmWrite =
  /** A touch: a completed activity on the account. */
  | { op: "logActivity"; activity: ActivityRecord; resumed?: boolean }
  /** A follow-up: a task, created (crmId null) or brought up to date (due date, done, owner). */
  | { op: "saveTask"; crmId: string | null; task: TaskRecord; resumed?: boolean }
  /** A follow-up cancelled here: its open task is removed from the CRM. */
  | { op: "deleteTask"; crmId: string }
  /** A deal opened in Slack on an account the CRM has. */
  | { op: "createOpportunity"; opportunity: OpportunityRecord; resumed?: boolean };

export type CrmWriteResult =
  | { kind: "written"; crmId: string }
  /** The CRM refused the record (validation rule, required field, picklist …): not retried. */
  | { kind: "rejected"; code: string; message: string; fields: string[] }
  /** A passing problem with this record only (a locked row): tried again later. */
  | { kind: "retry"; code: string; message: string };

export interface CrmWriter {
  readonly provider: CrmProvider;
  /**
   * How long after a create that may have reached the CRM its lookup by key can be trusted: a row
   * that failed that way is not tried again sooner (HubSpot's search index lags behind its writes).
   */
  readonly findAfterMs?: number;
  /** The batch's results in its order; batched as the CRM allows (Salesforce: 200 per request, HubSpot: 100). */
  write(writes: CrmWrite[]): Promise<CrmWriteResult[]>;
  /** The opportunity as the CRM has it now; null when it is gone (deleted there). */
  readOpportunity(crmId: string): Promise<CrmOpportunityState | null>;
  /** Writes only `changes` to the opportunity (the caller checked for a conflict just before). */
  updateOpportunity(crmId: string, changes: OpportunityChanges): Promise<CrmWriteResult>;
  /** What the push needs in the CRM (doctor): the external id field, Create/Edit access, the stages. */
  checkPush(stageMap: StageMap): Promise<CrmCheck[]>;
}
