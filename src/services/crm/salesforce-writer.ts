import type { ActivityRecord, CrmOpportunityState, OpportunityChanges, OpportunityRecord, TaskRecord } from "../../domain/crm-push.js";
import type { StageMap } from "../../domain/crm-sync.js";
import { CrmError, CrmSetupError, type CrmCheck } from "./crm-connector.js";
import type { CrmWrite, CrmWriter, CrmWriteResult } from "./crm-writer.js";
import { SALESFORCE_EXTERNAL_ID_FIELD, type SalesforceConnector } from "./salesforce-connector.js";

/**
 * The push to Salesforce (REST, through the connector's jsforce session):
 *
 * | ours | Salesforce |
 * | --- | --- |
 * | call, email, note | completed `Task` (`TaskSubtype` Call / Email / Task) on the account |
 * | meeting, demo, meal, entertainment | `Event` on the account (`StartDateTime` + `DurationInMinutes`) |
 * | follow-up | `Task` due on its day, `Not Started` until done, then `Completed` |
 * | deal opened in Slack | `Opportunity` on the account |
 * | won / lost, stage, close date | `StageName`, `Amount`, `CloseDate` of the opportunity |
 *
 * Creates go in sObject Collections requests (`POST /composite/sobjects`, up to 200 records,
 * `allOrNone: false`, one chunk per object type), each record with its key in the external id
 * field `AE_Assistant_Id__c` (Text, External ID, Unique; the admin creates it on Activity and
 * Opportunity). A key Salesforce already has (DUPLICATE_VALUE: an earlier attempt reached it) is
 * looked up by the key (`GET /sobjects/{Type}/AE_Assistant_Id__c/{key}`) and that record's id is
 * returned: a retry never makes a second record.
 *
 * Records belong to the Salesforce user with the rep's email (`OwnerId`), looked up once an hour;
 * a rep with no Salesforce user leaves the record to the run-as user.
 */

export { SALESFORCE_EXTERNAL_ID_FIELD };

const BATCH = 200;
const OWNER_CACHE_MS = 60 * 60_000;

/** Salesforce's answers for one record that a later try may not get (the record is not at fault). */
const TRANSIENT_RECORD_CODES = new Set(["UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "REQUEST_RUNNING_TOO_LONG", "QUERY_TIMEOUT"]);
/** Whole-request answers that mean the org lacks what the push needs: a person must add it. */
const SETUP_CODES = new Set(["INVALID_FIELD", "INVALID_TYPE", "API_DISABLED_FOR_ORG", "INVALID_FIELD_FOR_INSERT_UPDATE"]);

type SfRecord = Record<string, string | number | boolean | null | { type: string }>;
type SaveResult = { id?: string; success: boolean; errors?: { statusCode?: string; message?: string; fields?: string[] }[] };

/** A request that failed as a whole: passing problems are retried, setup problems hold the push. */
function classify(error: unknown): Error {
  if (error instanceof CrmError && SETUP_CODES.has(error.code)) return new CrmSetupError(error.message, error.code, error.crmMessage);
  return error instanceof Error ? error : new CrmError(String(error), "ERROR");
}

/** Whether a single-record failure is the CRM refusing the record (rather than the request failing). */
function isRecordError(error: unknown): error is CrmError {
  if (!(error instanceof CrmError) || error.name !== "CrmError") return false;
  return !SETUP_CODES.has(error.code) && !TRANSIENT_RECORD_CODES.has(error.code) && error.code !== "TIMEOUT" && !/^ERROR_HTTP_5\d\d$/.test(error.code) && /^[A-Z][A-Z_]+$/.test(error.code);
}

function soqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function money(cents: number): number {
  return Math.round(cents) / 100;
}

/** Salesforce writes `+0000`; Date wants `+00:00`. */
function parseDate(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const d = new Date(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isNaN(d.getTime()) ? null : d;
}

export class SalesforceWriter implements CrmWriter {
  readonly provider = "salesforce" as const;
  private readonly owners = new Map<string, { id: string | null; at: number }>();

  constructor(
    private readonly api: Pick<SalesforceConnector, "call" | "apiPath">,
    private readonly opts: { now?: () => Date } = {},
  ) {}

  private now(): number {
    return (this.opts.now ?? (() => new Date()))().getTime();
  }

  async write(writes: CrmWrite[]): Promise<CrmWriteResult[]> {
    const results: (CrmWriteResult | undefined)[] = writes.map(() => undefined);
    const owners = await this.ownerIds(writes.flatMap((w) => (w.op === "deleteTask" ? [] : [ownerEmailOf(w)])).filter((e): e is string => e !== null));
    const creates: { index: number; type: "Task" | "Event" | "Opportunity"; key: string; record: SfRecord }[] = [];
    const updates: { index: number; record: SfRecord }[] = [];
    writes.forEach((w, index) => {
      switch (w.op) {
        case "logActivity": {
          const { type, record } = activityRecord(w.activity, owners);
          creates.push({ index, type, key: w.activity.key, record });
          break;
        }
        case "saveTask":
          if (w.crmId === null) creates.push({ index, type: "Task", key: w.task.key, record: taskRecord(w.task, owners, "create") });
          else updates.push({ index, record: { ...taskRecord(w.task, owners, "update"), Id: w.crmId } });
          break;
        case "createOpportunity":
          creates.push({ index, type: "Opportunity", key: w.opportunity.key, record: opportunityRecord(w.opportunity, owners) });
          break;
        case "deleteTask":
          break;
      }
    });
    // One chunk per type (Salesforce processes a collection in chunks of one type, at most ten).
    const order = { Task: 0, Event: 1, Opportunity: 2 } as const;
    creates.sort((a, b) => order[a.type] - order[b.type] || a.index - b.index);
    for (let i = 0; i < creates.length; i += BATCH) {
      const batch = creates.slice(i, i + BATCH);
      const saved = await this.collection("POST", batch.map((c) => ({ attributes: { type: c.type }, ...c.record })));
      for (const [j, c] of batch.entries()) results[c.index] = await this.createResult(saved[j], c.type, c.key);
    }
    for (let i = 0; i < updates.length; i += BATCH) {
      const batch = updates.slice(i, i + BATCH);
      const saved = await this.collection("PATCH", batch.map((u) => ({ attributes: { type: "Task" }, ...u.record })));
      for (const [j, u] of batch.entries()) results[u.index] = saveResult(saved[j]);
    }
    for (const [index, w] of writes.entries()) {
      if (w.op !== "deleteTask") continue;
      results[index] = await this.single(() => this.api.call({ method: "DELETE", url: this.api.apiPath(`sobjects/Task/${w.crmId}`) }), w.crmId);
    }
    return results.map((r) => r ?? { kind: "retry", code: "NO_RESULT", message: "Salesforce returned no result for this record" });
  }

  /** One sObject Collections request (`allOrNone: false`): a SaveResult per record, in order. */
  private async collection(method: "POST" | "PATCH", records: SfRecord[]): Promise<SaveResult[]> {
    let saved: SaveResult[];
    try {
      saved = await this.api.call<SaveResult[]>({ method, url: this.api.apiPath("composite/sobjects"), body: { allOrNone: false, records } });
    } catch (error) {
      throw classify(error);
    }
    if (!Array.isArray(saved) || saved.length !== records.length) throw new CrmError(`Salesforce answered ${records.length} records with ${Array.isArray(saved) ? saved.length : "no"} results`, "BAD_RESPONSE");
    return saved;
  }

  /** A create's result; a key Salesforce already has is the record an earlier attempt made. */
  private async createResult(saved: SaveResult | undefined, type: string, key: string): Promise<CrmWriteResult> {
    const duplicate = saved?.errors?.find((e) => e.statusCode === "DUPLICATE_VALUE" && (e.fields ?? []).concat(e.message ?? "").join(" ").includes(SALESFORCE_EXTERNAL_ID_FIELD));
    if (!saved?.success && duplicate) {
      const existing = await this.findByKey(type, key);
      if (existing) return { kind: "written", crmId: existing };
    }
    return saveResult(saved);
  }

  private async findByKey(type: string, key: string): Promise<string | null> {
    try {
      const r = await this.api.call<{ Id?: unknown }>({ method: "GET", url: this.api.apiPath(`sobjects/${type}/${SALESFORCE_EXTERNAL_ID_FIELD}/${encodeURIComponent(key)}?fields=Id`) });
      return typeof r.Id === "string" ? r.Id : null;
    } catch (error) {
      if (error instanceof CrmError && error.code === "NOT_FOUND") return null;
      throw classify(error);
    }
  }

  /** A single-record call: the record's own refusal is a result, anything else is thrown. */
  private async single(call: () => Promise<unknown>, crmId: string): Promise<CrmWriteResult> {
    try {
      await call();
      return { kind: "written", crmId };
    } catch (error) {
      if (error instanceof CrmError && TRANSIENT_RECORD_CODES.has(error.code)) return { kind: "retry", code: error.code, message: error.crmMessage };
      if (isRecordError(error)) return { kind: "rejected", code: error.code, message: error.crmMessage, fields: [] };
      throw classify(error);
    }
  }

  async readOpportunity(crmId: string): Promise<CrmOpportunityState | null> {
    let r: Record<string, unknown>;
    try {
      r = await this.api.call<Record<string, unknown>>({ method: "GET", url: this.api.apiPath(`sobjects/Opportunity/${crmId}?fields=Id,SystemModstamp,StageName,Amount,CloseDate`) });
    } catch (error) {
      if (error instanceof CrmError && (error.code === "NOT_FOUND" || error.code === "ENTITY_IS_DELETED")) return null;
      throw classify(error);
    }
    const modifiedAt = parseDate(r.SystemModstamp);
    if (!modifiedAt) throw new CrmError(`Salesforce sent an unreadable SystemModstamp: ${String(r.SystemModstamp)}`, "BAD_RESPONSE");
    return {
      crmId,
      modifiedAt,
      crmStage: typeof r.StageName === "string" ? r.StageName : null,
      pipeline: null,
      amountCents: typeof r.Amount === "number" ? Math.round(r.Amount * 100) : null,
      closeDate: typeof r.CloseDate === "string" ? r.CloseDate : null,
    };
  }

  updateOpportunity(crmId: string, changes: OpportunityChanges): Promise<CrmWriteResult> {
    const body: SfRecord = {};
    if (changes.crmStage !== undefined) body.StageName = changes.crmStage;
    if (changes.amountCents !== undefined) body.Amount = money(changes.amountCents);
    if (changes.closeDate !== undefined) body.CloseDate = changes.closeDate;
    return this.single(() => this.api.call({ method: "PATCH", url: this.api.apiPath(`sobjects/Opportunity/${crmId}`), body }), crmId);
  }

  /** Salesforce user ids by (lowercased) email, for OwnerId; null for an email with no active user. */
  private async ownerIds(emails: string[]): Promise<Map<string, string | null>> {
    const now = this.now();
    const wanted = [...new Set(emails.map((e) => e.toLowerCase()))];
    const stale = wanted.filter((e) => {
      const hit = this.owners.get(e);
      return !hit || now - hit.at > OWNER_CACHE_MS;
    });
    for (let i = 0; i < stale.length; i += 100) {
      const slice = stale.slice(i, i + 100);
      const soql = `SELECT Id, Email FROM User WHERE IsActive = true AND Email IN (${slice.map(soqlString).join(", ")})`;
      let found: { records: { Id: string; Email: string | null }[] };
      try {
        found = await this.api.call({ method: "GET", url: this.api.apiPath(`query?q=${encodeURIComponent(soql)}`) });
      } catch (error) {
        throw classify(error);
      }
      for (const e of slice) this.owners.set(e, { id: null, at: now });
      for (const u of found.records) if (u.Email) this.owners.set(u.Email.toLowerCase(), { id: u.Id, at: now });
    }
    return new Map(wanted.map((e) => [e, this.owners.get(e)?.id ?? null]));
  }

  async checkPush(stageMap: StageMap): Promise<CrmCheck[]> {
    const checks: CrmCheck[] = [];
    const field = SALESFORCE_EXTERNAL_ID_FIELD;
    for (const { type, where } of [
      { type: "Task", where: "Activity (Task and Event share it)" },
      { type: "Event", where: "Activity (Task and Event share it)" },
      { type: "Opportunity", where: "Opportunity" },
    ]) {
      let d: Describe;
      try {
        d = await this.api.call<Describe>({ method: "GET", url: this.api.apiPath(`sobjects/${type}/describe`) });
      } catch (error) {
        const e = error instanceof Error ? error.message : String(error);
        checks.push({ ok: false, text: `Salesforce push: cannot describe ${type}: ${e}. Give the run-as user Read, Create and Edit on ${type}.` });
        continue;
      }
      if (d.createable && d.updateable) checks.push({ ok: true, text: `Salesforce push: the run-as user can create and edit ${type}` });
      else checks.push({ ok: false, text: `Salesforce push: the run-as user cannot ${d.createable ? "edit" : "create"} ${type}: give its profile or a permission set "Create" and "Edit" on ${type}.` });
      const ext = d.fields.find((f) => f.name === field);
      if (ext?.externalId && ext.unique && ext.createable) checks.push({ ok: true, text: `Salesforce push: ${type}.${field} is a unique external id (a retried push never makes a second record)` });
      else {
        checks.push({
          ok: false,
          text: `Salesforce push: ${type} has no ${ext ? "unique, writable external id" : "field"} ${field}. Create it: Setup → Object Manager → ${where} → Fields & Relationships → New → Text, length 64, tick "Unique" (case sensitive) and "External ID", API name ${field}, visible and editable for the run-as user.`,
        });
      }
      if (type === "Opportunity") {
        const stages = new Set(d.fields.find((f) => f.name === "StageName")?.picklistValues?.filter((p) => p.active !== false).map((p) => p.value) ?? []);
        const missing = [...stageMap.keys()].filter((s) => !stages.has(s));
        if (missing.length === 0) checks.push({ ok: true, text: `Salesforce push: every stage in CRM_STAGE_MAP is an Opportunity stage of the org` });
        else checks.push({ ok: false, text: `Salesforce push: CRM_STAGE_MAP names stages the org does not have: ${missing.map((m) => `"${m}"`).join(", ")} (the org's: ${[...stages].join(", ")}).` });
      }
      if (type === "Task") {
        const statuses = new Set(d.fields.find((f) => f.name === "Status")?.picklistValues?.map((p) => p.value) ?? []);
        const need = ["Not Started", "Completed"].filter((s) => !statuses.has(s));
        if (need.length > 0) checks.push({ ok: false, text: `Salesforce push: the Task Status picklist lacks ${need.map((n) => `"${n}"`).join(" and ")}, which open and completed tasks are written with.` });
      }
    }
    return checks;
  }
}

interface Describe {
  createable: boolean;
  updateable: boolean;
  fields: { name: string; externalId?: boolean; unique?: boolean; createable?: boolean; picklistValues?: { value: string; active?: boolean }[] }[];
}

function ownerEmailOf(w: Exclude<CrmWrite, { op: "deleteTask" }>): string | null {
  switch (w.op) {
    case "logActivity":
      return w.activity.ownerEmail;
    case "saveTask":
      return w.task.ownerEmail;
    case "createOpportunity":
      return w.opportunity.ownerEmail;
  }
}

function owner(owners: Map<string, string | null>, email: string | null): SfRecord {
  const id = email ? owners.get(email.toLowerCase()) : null;
  return id ? { OwnerId: id } : {};
}

const TASK_SUBTYPE = { call: "Call", email: "Email", note: "Task" } as const;

function activityRecord(a: ActivityRecord, owners: Map<string, string | null>): { type: "Task" | "Event"; record: SfRecord } {
  const common: SfRecord = { Subject: a.subject, Description: a.description, WhatId: a.accountCrmId, ...owner(owners, a.ownerEmail), [SALESFORCE_EXTERNAL_ID_FIELD]: a.key };
  if (a.type === "meeting") {
    return { type: "Event", record: { ...common, StartDateTime: a.start.toISOString(), DurationInMinutes: a.minutes } };
  }
  return { type: "Task", record: { ...common, ActivityDate: a.date, Status: "Completed", Priority: "Normal", TaskSubtype: TASK_SUBTYPE[a.type] } };
}

function taskRecord(t: TaskRecord, owners: Map<string, string | null>, mode: "create" | "update"): SfRecord {
  const fields: SfRecord = { Subject: t.subject, ActivityDate: t.dueDate, Status: t.done ? "Completed" : "Not Started", ...owner(owners, t.ownerEmail) };
  if (mode === "update") return fields;
  return { ...fields, Description: t.description, Priority: "Normal", WhatId: t.accountCrmId, [SALESFORCE_EXTERNAL_ID_FIELD]: t.key };
}

function opportunityRecord(o: OpportunityRecord, owners: Map<string, string | null>): SfRecord {
  return {
    Name: o.name,
    AccountId: o.accountCrmId,
    Amount: money(o.amountCents),
    CloseDate: o.closeDate,
    StageName: o.crmStage,
    ...owner(owners, o.ownerEmail),
    [SALESFORCE_EXTERNAL_ID_FIELD]: o.key,
  };
}

function saveResult(saved: SaveResult | undefined): CrmWriteResult {
  if (saved?.success && typeof saved.id === "string") return { kind: "written", crmId: saved.id };
  const errors = saved?.errors ?? [];
  const first = errors[0];
  const code = first?.statusCode ?? "UNKNOWN_ERROR";
  const message = errors.map((e) => e.message ?? "").filter(Boolean).join("; ") || "Salesforce refused the record without saying why";
  if (TRANSIENT_RECORD_CODES.has(code)) return { kind: "retry", code, message };
  return { kind: "rejected", code, message, fields: errors.flatMap((e) => e.fields ?? []) };
}
