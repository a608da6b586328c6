import { AssociationTypes } from "@hubspot/api-client";
import { z } from "zod";
import type { ActivityRecord, ActivityType, CrmOpportunityState, OpportunityChanges, OpportunityRecord, TaskRecord } from "../../domain/crm-push.js";
import { MAPPED_STAGES, type StageMap } from "../../domain/crm-sync.js";
import { CrmError, CrmSetupError, type CrmCheck } from "./crm-connector.js";
import type { CrmWrite, CrmWriter, CrmWriteResult } from "./crm-writer.js";
import {
  cents,
  CrmMissingScopesError,
  hsObject,
  HUBSPOT_KEY_PROPERTY,
  HubSpotRequestError,
  instant,
  ownersAnswer,
  parseAnswer,
  pipelinesAnswer,
  searchAnswer,
  text,
  type HubSpotConnector,
} from "./hubspot-connector.js";

/**
 * The push to HubSpot (CRM v3, through the connector's client and pace):
 *
 * | ours | HubSpot |
 * | --- | --- |
 * | call | call (`hs_call_status` COMPLETED, OUTBOUND) on the company |
 * | email | email (`hs_email_direction` EMAIL, SENT) on the company |
 * | meeting, demo, meal, entertainment | meeting (start, end, outcome COMPLETED) on the company |
 * | note | note on the company |
 * | follow-up | task due at its time, NOT_STARTED until done, then COMPLETED |
 * | deal opened in Slack | deal (primary company, pipeline and stage through CRM_STAGE_MAP) |
 * | won / lost, stage, close date | `dealstage`, `amount`, `closedate` of the deal (PATCH) |
 *
 * Engagements are not associated with the company's deals: HubSpot recalculates a deal's activity
 * properties when one is, which moves its `hs_lastmodifieddate`, and every open deal would then
 * look changed in HubSpot (a conflict) at the next change made in Slack.
 *
 * Exactly once: HubSpot has no upsert by an external id for engagements, so every record carries
 * its key in the custom property `ae_assistant_id` (single-line text the admin creates on calls,
 * emails, meetings, notes, tasks and deals; on deals with "Require unique values", which HubSpot
 * offers there). A create runs once; a create that may have reached HubSpot (a timeout, a 5xx, a
 * crash before we recorded its id: `resumed`) is first searched for by its key, and only created
 * when it is not there. HubSpot's search index follows its writes by seconds, so such a row is not
 * tried again for a minute (`findAfterMs`). A key HubSpot already has (409 CONFLICT on a unique
 * property) is looked up the same way.
 *
 * Creates go in batches of up to 100 per object type (`POST /crm/v3/objects/{type}/batch/create`,
 * inline associations). A batch is all or nothing: when HubSpot refuses one with a
 * VALIDATION_ERROR, its records are sent one by one, so the others are written and only the
 * refused one is recorded with HubSpot's words.
 *
 * Records belong to the HubSpot owner with the rep's email (`hubspot_owner_id`, active owners,
 * read once an hour); a rep who is no owner leaves the record unassigned.
 */

export { HUBSPOT_KEY_PROPERTY };

/** HubSpot's batch limit. */
const BATCH = 100;
const CACHE_MS = 60 * 60_000;
/** HubSpot's search index lags its writes (reportedly up to 30 s): a maybe-made create is looked for a minute later. */
const SEARCH_LAG_MS = 60_000;

export type HsWriteType = "calls" | "emails" | "meetings" | "notes" | "tasks" | "deals";
const WRITE_TYPES: readonly HsWriteType[] = ["calls", "emails", "meetings", "notes", "tasks", "deals"];

const ENGAGEMENT: Record<ActivityType, HsWriteType> = { call: "calls", email: "emails", meeting: "meetings", note: "notes" };

/** HubSpot's default association type from each object the push writes to a company. */
const TO_COMPANY: Record<HsWriteType, number> = {
  calls: AssociationTypes.callToCompany,
  emails: AssociationTypes.emailToCompany,
  meetings: AssociationTypes.meetingToCompany,
  notes: AssociationTypes.noteToCompany,
  tasks: AssociationTypes.taskToCompany,
  // A deal's company is its primary one (the pull reads the primary association).
  deals: AssociationTypes.primaryDealToCompany,
};

/** What the private app needs to write each object (engagements are under the contacts scope). */
const WRITE_SCOPE: Record<HsWriteType, string> = {
  calls: "crm.objects.contacts.write",
  emails: "crm.objects.contacts.write",
  meetings: "crm.objects.contacts.write",
  notes: "crm.objects.contacts.write",
  tasks: "crm.objects.contacts.write",
  deals: "crm.objects.deals.write",
};

type Props = Record<string, string>;

interface Create {
  index: number;
  key: string;
  properties: Props;
  companyId: string;
  resumed: boolean;
}

const batchAnswer = z.object({ results: z.array(hsObject.extend({ objectWriteTraceId: z.string().optional() })), errors: z.array(z.unknown()).optional() });
const propertyAnswer = z.object({ name: z.string(), type: z.string(), hasUniqueValue: z.boolean().optional() });

function money(amountCents: number): string {
  return String(Math.round(amountCents) / 100);
}

/** A calendar date as HubSpot's `closedate`: noon UTC, the same date in every time zone HubSpot shows it in (the pull reads its UTC date). */
function closeDateTime(date: string): string {
  return `${date}T12:00:00.000Z`;
}

function isRequest(error: unknown, code: string): error is HubSpotRequestError {
  return error instanceof HubSpotRequestError && error.code === code;
}

/** A failure of a whole request: a missing scope holds the push (a person must add it), the rest is as the connector says. */
function classify(error: unknown, what: string): Error {
  if (error instanceof CrmMissingScopesError) {
    return new CrmSetupError(`HubSpot push: the private app lacks ${error.scopes.join(", ") || "a scope"} to ${what} (HubSpot → Settings → Integrations → Private Apps → Scopes)`, "MISSING_SCOPES");
  }
  return error instanceof Error ? error : new CrmError(String(error), "ERROR");
}

function rejected(error: HubSpotRequestError): CrmWriteResult {
  return { kind: "rejected", code: error.details.find((d) => d.code)?.code ?? error.code, message: error.crmMessage, fields: error.properties };
}

export class HubSpotWriter implements CrmWriter {
  readonly provider = "hubspot" as const;
  readonly findAfterMs = SEARCH_LAG_MS;
  private owners: { at: number; byEmail: Map<string, string> } | null = null;
  private pipelines: { at: number; byStage: Map<string, string> } | null = null;
  /** Object types whose key property was found (checked once an hour before writing to them). */
  private readonly keyChecked = new Map<HsWriteType, number>();

  constructor(
    private readonly api: Pick<HubSpotConnector, "call">,
    private readonly opts: { now?: () => Date } = {},
  ) {}

  private now(): number {
    return (this.opts.now ?? (() => new Date()))().getTime();
  }

  async write(writes: CrmWrite[]): Promise<CrmWriteResult[]> {
    const results: (CrmWriteResult | undefined)[] = writes.map(() => undefined);
    const needOwners = writes.some((w) => w.op !== "deleteTask" && ownerEmailOf(w) !== null);
    const owners = needOwners ? await this.ownerIds() : new Map<string, string>();
    const owner = (email: string | null): Props => {
      const id = email ? owners.get(email.toLowerCase()) : undefined;
      return id ? { hubspot_owner_id: id } : {};
    };
    const creates = new Map<HsWriteType, Create[]>();
    const add = (type: HsWriteType, c: Create) => creates.set(type, [...(creates.get(type) ?? []), c]);
    const updates: { index: number; id: string; properties: Props }[] = [];
    const deletes: { index: number; id: string }[] = [];
    for (const [index, w] of writes.entries()) {
      switch (w.op) {
        case "logActivity":
          add(ENGAGEMENT[w.activity.type], { index, key: w.activity.key, properties: { ...engagementProperties(w.activity), ...owner(w.activity.ownerEmail) }, companyId: w.activity.accountCrmId, resumed: w.resumed === true });
          break;
        case "saveTask":
          if (w.crmId === null) add("tasks", { index, key: w.task.key, properties: { ...taskProperties(w.task, "create"), ...owner(w.task.ownerEmail) }, companyId: w.task.accountCrmId, resumed: w.resumed === true });
          else updates.push({ index, id: w.crmId, properties: { ...taskProperties(w.task, "update"), ...owner(w.task.ownerEmail) } });
          break;
        case "createOpportunity":
          add("deals", { index, key: w.opportunity.key, properties: { ...(await this.dealProperties(w.opportunity)), ...owner(w.opportunity.ownerEmail) }, companyId: w.opportunity.accountCrmId, resumed: w.resumed === true });
          break;
        case "deleteTask":
          deletes.push({ index, id: w.crmId });
          break;
      }
    }
    for (const [type, list] of creates) {
      await this.requireKeyProperty(type);
      for (let i = 0; i < list.length; i += BATCH) await this.createAll(type, list.slice(i, i + BATCH), results);
    }
    for (let i = 0; i < updates.length; i += BATCH) await this.updateTasks(updates.slice(i, i + BATCH), results);
    for (const d of deletes) results[d.index] = await this.deleteTask(d.id);
    return results.map((r) => r ?? { kind: "retry", code: "NO_RESULT", message: "HubSpot returned no result for this record" });
  }

  /** Creates of one type: those that may exist already are looked for by key first; the rest are created. */
  private async createAll(type: HsWriteType, list: Create[], results: (CrmWriteResult | undefined)[]): Promise<void> {
    const resumed = list.filter((c) => c.resumed);
    const found = resumed.length > 0 ? await this.findByKeys(type, resumed.map((c) => c.key)) : new Map<string, string>();
    for (const c of list) {
      const id = found.get(c.key);
      if (id !== undefined) results[c.index] = { kind: "written", crmId: id };
    }
    const todo = list.filter((c) => !found.has(c.key));
    if (todo.length > 0) await this.createBatch(type, todo, results);
  }

  private async createBatch(type: HsWriteType, todo: Create[], results: (CrmWriteResult | undefined)[]): Promise<void> {
    const inputs = todo.map((c) => ({
      properties: { ...c.properties, [HUBSPOT_KEY_PROPERTY]: c.key },
      associations: [{ to: { id: c.companyId }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: TO_COMPANY[type] }] }],
      objectWriteTraceId: c.key,
    }));
    let answer: z.infer<typeof batchAnswer>;
    try {
      answer = parseAnswer(batchAnswer, await this.api.call("POST", `/crm/v3/objects/${type}/batch/create`, { body: { inputs }, write: true }), `${type} batch create`);
    } catch (error) {
      if (isRequest(error, "VALIDATION_ERROR")) {
        if (error.details.some((d) => d.properties.includes(HUBSPOT_KEY_PROPERTY))) throw this.missingKeyProperty(type);
        // All or nothing: nothing was made. One by one, only the refused record is refused.
        if (todo.length > 1) for (const c of todo) await this.createBatch(type, [c], results);
        else results[todo[0]!.index] = rejected(error);
        return;
      }
      if (isRequest(error, "CONFLICT")) {
        // A key HubSpot has already (an earlier attempt made it): that record is ours.
        const found = await this.findByKeys(type, todo.map((c) => c.key));
        for (const c of todo) {
          const id = found.get(c.key);
          results[c.index] = id !== undefined ? { kind: "written", crmId: id } : { kind: "retry", code: "CONFLICT", message: error.crmMessage };
        }
        return;
      }
      throw classify(error, `create ${type}`);
    }
    const made = new Map<string, string>();
    for (const r of answer.results) {
      const key = text(r.properties[HUBSPOT_KEY_PROPERTY]) ?? r.objectWriteTraceId;
      if (key) made.set(key, r.id);
    }
    // An answer without a record (a 207 with errors): tried again, looked for first.
    for (const c of todo) {
      const id = made.get(c.key);
      results[c.index] = id !== undefined ? { kind: "written", crmId: id } : { kind: "retry", code: "NO_RESULT", message: `HubSpot did not return the ${type} it was asked to create` };
    }
  }

  /** Records of `type` carrying these keys (search: `ae_assistant_id IN …`), key → id. */
  private async findByKeys(type: HsWriteType, keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < keys.length; i += BATCH) {
      const slice = keys.slice(i, i + BATCH);
      const body = { filterGroups: [{ filters: [{ propertyName: HUBSPOT_KEY_PROPERTY, operator: "IN", values: slice }] }], sorts: [], properties: [HUBSPOT_KEY_PROPERTY], limit: 200 };
      let answer: z.infer<typeof searchAnswer>;
      try {
        answer = parseAnswer(searchAnswer, await this.api.call("POST", `/crm/v3/objects/${type}/search`, { body, search: true }), `${type} search by ${HUBSPOT_KEY_PROPERTY}`);
      } catch (error) {
        throw classify(error, `search ${type}`);
      }
      const wanted = new Set(slice);
      // The oldest record with a key is the one to keep (search matches case-insensitively: compare exactly).
      for (const r of [...answer.results].sort((a, b) => Number(a.id) - Number(b.id))) {
        const key = text(r.properties[HUBSPOT_KEY_PROPERTY]);
        if (key !== null && wanted.has(key) && !out.has(key)) out.set(key, r.id);
      }
    }
    return out;
  }

  private async updateTasks(list: { index: number; id: string; properties: Props }[], results: (CrmWriteResult | undefined)[]): Promise<void> {
    let updated: Set<string>;
    try {
      const answer = parseAnswer(batchAnswer, await this.api.call("POST", "/crm/v3/objects/tasks/batch/update", { body: { inputs: list.map((u) => ({ id: u.id, properties: u.properties })) }, write: true }), "tasks batch update");
      updated = new Set(answer.results.map((r) => r.id));
    } catch (error) {
      // All or nothing: one by one, a task deleted in HubSpot or a refused value only costs its own update.
      if (!(isRequest(error, "VALIDATION_ERROR") || isRequest(error, "OBJECT_NOT_FOUND"))) throw classify(error, "update tasks");
      updated = new Set();
    }
    for (const u of list) {
      // A task the answer left out (a 207 with errors, or the batch refused): on its own, to hear why.
      results[u.index] = updated.has(u.id) ? { kind: "written", crmId: u.id } : await this.single(u.id, () => this.api.call("PATCH", `/crm/v3/objects/tasks/${u.id}`, { body: { properties: u.properties }, write: true }), "update a task");
    }
  }

  /** A follow-up cancelled here: its task goes to HubSpot's recycle bin (one already gone is fine). */
  private async deleteTask(id: string): Promise<CrmWriteResult> {
    try {
      await this.api.call("DELETE", `/crm/v3/objects/tasks/${id}`, { write: true });
    } catch (error) {
      if (!isRequest(error, "OBJECT_NOT_FOUND")) throw classify(error, "delete tasks");
    }
    return { kind: "written", crmId: id };
  }

  /** A single-record call: HubSpot's refusal of the record is a result, anything else is thrown. */
  private async single(crmId: string, call: () => Promise<unknown>, what: string): Promise<CrmWriteResult> {
    try {
      await call();
      return { kind: "written", crmId };
    } catch (error) {
      if (isRequest(error, "VALIDATION_ERROR")) return rejected(error);
      if (isRequest(error, "OBJECT_NOT_FOUND")) return { kind: "rejected", code: "OBJECT_NOT_FOUND", message: `it was deleted in HubSpot (${crmId})`, fields: [] };
      throw classify(error, what);
    }
  }

  async readOpportunity(crmId: string): Promise<CrmOpportunityState | null> {
    let r: z.infer<typeof hsObject>;
    try {
      r = parseAnswer(hsObject, await this.api.call("GET", `/crm/v3/objects/deals/${crmId}`, { qs: { properties: "dealstage,pipeline,amount,closedate,hs_lastmodifieddate" } }), "deal");
    } catch (error) {
      if (isRequest(error, "OBJECT_NOT_FOUND")) return null;
      throw classify(error, "read deals");
    }
    const modified = instant(r.properties.hs_lastmodifieddate);
    if (modified === null) throw new CrmError(`HubSpot sent deal ${crmId} without a readable hs_lastmodifieddate`, "BAD_RESPONSE");
    const close = instant(r.properties.closedate);
    return {
      crmId,
      modifiedAt: new Date(modified),
      crmStage: text(r.properties.dealstage),
      pipeline: text(r.properties.pipeline),
      amountCents: cents(r.properties.amount),
      // As the pull reads it: the UTC date of HubSpot's datetime.
      closeDate: close === null ? null : new Date(close).toISOString().slice(0, 10),
    };
  }

  updateOpportunity(crmId: string, changes: OpportunityChanges): Promise<CrmWriteResult> {
    const properties: Props = {};
    if (changes.crmStage !== undefined) properties.dealstage = changes.crmStage;
    if (changes.amountCents !== undefined) properties.amount = money(changes.amountCents);
    if (changes.closeDate !== undefined) properties.closedate = closeDateTime(changes.closeDate);
    return this.single(crmId, () => this.api.call("PATCH", `/crm/v3/objects/deals/${crmId}`, { body: { properties }, write: true }), "update deals");
  }

  /**
   * A new deal's pipeline and stage: a `pipelineId:stageId` entry of CRM_STAGE_MAP names both; a
   * bare stage id is looked up in the deal pipelines (stage ids are unique across them).
   */
  private async dealProperties(o: OpportunityRecord): Promise<Props> {
    const colon = o.crmStage.indexOf(":");
    const stage = colon < 0 ? o.crmStage : o.crmStage.slice(colon + 1);
    const pipeline = colon < 0 ? ((await this.pipelineOf(stage)) ?? "default") : o.crmStage.slice(0, colon);
    return { dealname: o.name, amount: money(o.amountCents), closedate: closeDateTime(o.closeDate), dealstage: stage, pipeline };
  }

  private async pipelineOf(stage: string): Promise<string | undefined> {
    const now = this.now();
    if (!this.pipelines || now - this.pipelines.at > CACHE_MS) {
      let answer: z.infer<typeof pipelinesAnswer>;
      try {
        answer = parseAnswer(pipelinesAnswer, await this.api.call("GET", "/crm/v3/pipelines/deals"), "deal pipelines");
      } catch (error) {
        throw classify(error, "read the deal pipelines");
      }
      const byStage = new Map<string, string>();
      for (const p of answer.results) for (const s of p.stages) if (!byStage.has(s.id)) byStage.set(s.id, p.id);
      this.pipelines = { at: now, byStage };
    }
    return this.pipelines.byStage.get(stage);
  }

  /** Active owners by (lowercased) email, read once an hour (records keep a deactivated owner, new ones cannot get one). */
  private async ownerIds(): Promise<Map<string, string>> {
    const now = this.now();
    if (this.owners && now - this.owners.at <= CACHE_MS) return this.owners.byEmail;
    const byEmail = new Map<string, string>();
    let after: string | undefined;
    do {
      let page: z.infer<typeof ownersAnswer>;
      try {
        page = parseAnswer(ownersAnswer, await this.api.call("GET", "/crm/v3/owners", { qs: { limit: "500", archived: "false", ...(after ? { after } : {}) } }), "owners");
      } catch (error) {
        throw classify(error, "read owners");
      }
      for (const o of page.results) {
        const email = text(o.email)?.toLowerCase();
        if (email && !byEmail.has(email)) byEmail.set(email, o.id);
      }
      after = page.paging?.next?.after;
    } while (after);
    this.owners = { at: now, byEmail };
    return byEmail;
  }

  /** Before the first write to a type (and once an hour): without the key property a retry could make a second record. */
  private async requireKeyProperty(type: HsWriteType): Promise<void> {
    const at = this.keyChecked.get(type);
    if (at !== undefined && this.now() - at <= CACHE_MS) return;
    const p = await this.keyProperty(type);
    if (p === null) throw this.missingKeyProperty(type);
    this.keyChecked.set(type, this.now());
  }

  private async keyProperty(type: HsWriteType): Promise<z.infer<typeof propertyAnswer> | null> {
    try {
      return parseAnswer(propertyAnswer, await this.api.call("GET", `/crm/v3/properties/${type}/${HUBSPOT_KEY_PROPERTY}`), `the ${type} property ${HUBSPOT_KEY_PROPERTY}`);
    } catch (error) {
      if (isRequest(error, "OBJECT_NOT_FOUND")) return null;
      throw classify(error, `read the ${type} properties`);
    }
  }

  private missingKeyProperty(type: HsWriteType): CrmSetupError {
    this.keyChecked.delete(type);
    return new CrmSetupError(`HubSpot push: ${type} have no property ${HUBSPOT_KEY_PROPERTY}; create it (README → Connect HubSpot, step 2) so a retried push never makes a second record`, "PROPERTY_DOESNT_EXIST");
  }

  async checkPush(stageMap: StageMap): Promise<CrmCheck[]> {
    const checks: CrmCheck[] = [];
    for (const type of WRITE_TYPES) {
      let p: z.infer<typeof propertyAnswer> | null;
      try {
        p = await this.keyProperty(type);
      } catch (error) {
        checks.push({ ok: false, text: `HubSpot push: cannot read the ${type} properties: ${error instanceof Error ? error.message : String(error)}` });
        continue;
      }
      const how = `HubSpot → Settings → Properties → ${PROPERTY_OBJECT[type]} → Create property: label "AE Assistant Id", internal name ${HUBSPOT_KEY_PROPERTY}, field type Single-line text${type === "deals" ? ', and under Rules tick "Require unique values"' : ""}`;
      if (p === null) checks.push({ ok: false, text: `HubSpot push: ${type} have no property ${HUBSPOT_KEY_PROPERTY} (the key that keeps a retried push from making a second record). ${how}.` });
      else if (p.type !== "string") checks.push({ ok: false, text: `HubSpot push: ${type}.${HUBSPOT_KEY_PROPERTY} is a ${p.type} property; it must be Single-line text. Delete it and ${how}.` });
      else if (type === "deals" && p.hasUniqueValue !== true) checks.push({ ok: false, text: `HubSpot push: deals.${HUBSPOT_KEY_PROPERTY} does not require unique values; HubSpot cannot change that later: delete it and ${how}.` });
      else checks.push({ ok: true, text: `HubSpot push: ${type} have the property ${HUBSPOT_KEY_PROPERTY}${p.hasUniqueValue ? " (unique)" : ""}` });
    }
    // A batch update of nothing: HubSpot checks the scope first, and writes nothing.
    for (const type of ["tasks", "deals"] as const) {
      const scope = WRITE_SCOPE[type];
      const what = type === "deals" ? "deals" : "calls, emails, meetings, notes and tasks";
      try {
        await this.api.call("POST", `/crm/v3/objects/${type}/batch/update`, { body: { inputs: [] }, write: true });
        checks.push({ ok: true, text: `HubSpot push: the private app can write ${what} (${scope})` });
      } catch (error) {
        if (error instanceof CrmMissingScopesError) checks.push({ ok: false, text: `HubSpot push: the private app lacks ${scope}, needed to write ${what}. HubSpot → Settings → Integrations → Private Apps → your app → Scopes: add ${scope}, then Commit changes.` });
        // Refusing the empty batch itself means the scope was granted.
        else if (error instanceof HubSpotRequestError && error.status === 400) checks.push({ ok: true, text: `HubSpot push: the private app can write ${what} (${scope})` });
        else checks.push({ ok: false, text: `HubSpot push: cannot check the scope ${scope}: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    // Every stage a deal can have here must be writable as a HubSpot stage.
    const ours = new Set(stageMap.values());
    const unwritable = MAPPED_STAGES.filter((s) => !ours.has(s));
    if (unwritable.length === 0) checks.push({ ok: true, text: "HubSpot push: every stage of ours has a HubSpot stage in CRM_STAGE_MAP" });
    else checks.push({ ok: false, text: `HubSpot push: no HubSpot stage in CRM_STAGE_MAP maps to ${unwritable.join(", ")}, so deals in ${unwritable.length === 1 ? "that stage" : "those stages"} are not written. Add "stageId=${unwritable[0]}".` });
    return checks;
  }
}

/** Where each object's properties are in HubSpot's settings. */
const PROPERTY_OBJECT: Record<HsWriteType, string> = { calls: "Call", emails: "Email", meetings: "Meeting", notes: "Note", tasks: "Task", deals: "Deal" };

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

/** A touch as a HubSpot engagement: when it happened (a meeting: its start), what, and that it is done. */
function engagementProperties(a: ActivityRecord): Props {
  const at = a.start.toISOString();
  switch (a.type) {
    case "call":
      return { hs_timestamp: at, hs_call_title: a.subject, hs_call_body: a.description, hs_call_status: "COMPLETED", hs_call_direction: "OUTBOUND" };
    case "email":
      return { hs_timestamp: at, hs_email_subject: a.subject, hs_email_text: a.description, hs_email_direction: "EMAIL", hs_email_status: "SENT" };
    case "meeting":
      return {
        hs_timestamp: at,
        hs_meeting_title: a.subject,
        hs_meeting_body: a.description,
        hs_meeting_start_time: at,
        hs_meeting_end_time: new Date(a.start.getTime() + a.minutes * 60_000).toISOString(),
        hs_meeting_outcome: "COMPLETED",
      };
    case "note":
      return { hs_timestamp: at, hs_note_body: a.description };
  }
}

/** A follow-up as a HubSpot task: due (`hs_timestamp`) when the follow-up is, open until done. */
function taskProperties(t: TaskRecord, mode: "create" | "update"): Props {
  const fields: Props = { hs_task_subject: t.subject, hs_timestamp: t.dueAt.toISOString(), hs_task_status: t.done ? "COMPLETED" : "NOT_STARTED" };
  return mode === "update" ? fields : { ...fields, hs_task_body: t.description, hs_task_priority: "MEDIUM", hs_task_type: "TODO" };
}
