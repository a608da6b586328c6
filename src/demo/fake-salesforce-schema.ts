/**
 * The fake Salesforce's objects and fields (its "describe"), and the checks Salesforce makes on a
 * record written through the REST API: unknown fields, fields that cannot be set, required fields,
 * restricted picklists, lengths, dates, references, unique external ids, and the org's custom
 * validation rules. Error codes and messages are Salesforce's (REST API Developer Guide,
 * "Status Codes and Error Responses"; SOAP API "StatusCode").
 */

export type SObjectType = "Account" | "Opportunity" | "Contact" | "User" | "Task" | "Event";
export type SRecord = Record<string, string | number | boolean | null>;

export type FieldType = "id" | "string" | "textarea" | "picklist" | "date" | "datetime" | "currency" | "int" | "boolean" | "reference" | "email";

export interface FieldDef {
  name: string;
  type: FieldType;
  /** Settable on create / on update (Salesforce's createable / updateable). */
  createable: boolean;
  updateable: boolean;
  /** Required on create (nillable false, no default). */
  required?: boolean;
  length?: number;
  /** Picklist values; `restricted` refuses any other value. */
  picklist?: string[];
  restricted?: boolean;
  /** Reference fields: the object types they may point to. */
  referenceTo?: SObjectType[];
  externalId?: boolean;
  unique?: boolean;
  /** A value the record gets when none is given on create. */
  defaultValue?: string | number | boolean;
}

export const ID_PREFIX: Record<SObjectType, string> = { Account: "001", Opportunity: "006", Contact: "003", User: "005", Task: "00T", Event: "00U" };

/** The org's opportunity stages (the default sales process). */
export const DEFAULT_STAGES = [
  "Prospecting",
  "Qualification",
  "Needs Analysis",
  "Value Proposition",
  "Id. Decision Makers",
  "Perception Analysis",
  "Proposal/Price Quote",
  "Negotiation/Review",
  "Closed Won",
  "Closed Lost",
];
export const TASK_STATUSES = ["Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"];
export const TASK_SUBTYPES = ["Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"];

/** The external id field the bot's push uses (README → Connect Salesforce). */
export const EXTERNAL_ID_FIELD = "AE_Assistant_Id__c";

const system = (name: string, type: FieldType = "datetime"): FieldDef => ({ name, type, createable: false, updateable: false });
const text = (name: string, length: number, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: "string", length, createable: true, updateable: true, ...extra });
const ref = (name: string, to: SObjectType[], extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: "reference", referenceTo: to, createable: true, updateable: true, ...extra });
const externalId = (): FieldDef => ({ name: EXTERNAL_ID_FIELD, type: "string", length: 64, createable: true, updateable: true, externalId: true, unique: true });

const BASE: FieldDef[] = [system("Id", "id"), system("IsDeleted", "boolean"), system("SystemModstamp"), system("LastModifiedDate"), system("CreatedDate")];

export function describeFields(stages: string[]): Record<SObjectType, FieldDef[]> {
  return {
    Account: [...BASE, text("Name", 255, { required: true }), text("Industry", 255), { name: "AnnualRevenue", type: "currency", createable: true, updateable: true }, ref("OwnerId", ["User"])],
    Opportunity: [
      ...BASE,
      text("Name", 120, { required: true }),
      ref("AccountId", ["Account"]),
      { name: "Amount", type: "currency", createable: true, updateable: true },
      { name: "CloseDate", type: "date", createable: true, updateable: true, required: true },
      { name: "StageName", type: "picklist", picklist: stages, restricted: true, createable: true, updateable: true, required: true },
      ref("OwnerId", ["User"]),
      externalId(),
    ],
    Contact: [
      ...BASE,
      text("FirstName", 40),
      text("LastName", 80, { required: true }),
      system("Name", "string"),
      { name: "Email", type: "email", length: 80, createable: true, updateable: true },
      text("Title", 128),
      text("Phone", 40),
      ref("AccountId", ["Account"]),
      ref("OwnerId", ["User"]),
    ],
    User: [...BASE, text("Name", 121), { name: "Email", type: "email", length: 128, createable: true, updateable: true }, { name: "IsActive", type: "boolean", createable: true, updateable: true, defaultValue: true }],
    Task: [
      ...BASE,
      text("Subject", 255),
      { name: "Description", type: "textarea", length: 32_000, createable: true, updateable: true },
      { name: "ActivityDate", type: "date", createable: true, updateable: true },
      { name: "Status", type: "picklist", picklist: TASK_STATUSES, restricted: true, createable: true, updateable: true, defaultValue: "Not Started" },
      { name: "Priority", type: "picklist", picklist: ["High", "Normal", "Low"], restricted: true, createable: true, updateable: true, defaultValue: "Normal" },
      // Salesforce: a task's subtype is set when it is created and never changed.
      { name: "TaskSubtype", type: "picklist", picklist: TASK_SUBTYPES, restricted: true, createable: true, updateable: false, defaultValue: "Task" },
      ref("WhatId", ["Account", "Opportunity"]),
      ref("WhoId", ["Contact"]),
      ref("OwnerId", ["User"]),
      system("IsClosed", "boolean"),
      externalId(),
    ],
    Event: [
      ...BASE,
      text("Subject", 255),
      { name: "Description", type: "textarea", length: 32_000, createable: true, updateable: true },
      { name: "StartDateTime", type: "datetime", createable: true, updateable: true },
      { name: "EndDateTime", type: "datetime", createable: true, updateable: true },
      { name: "DurationInMinutes", type: "int", createable: true, updateable: true },
      { name: "ActivityDate", type: "date", createable: true, updateable: true },
      system("ActivityDateTime"),
      { name: "IsAllDayEvent", type: "boolean", createable: true, updateable: true, defaultValue: false },
      ref("WhatId", ["Account", "Opportunity"]),
      ref("WhoId", ["Contact"]),
      ref("OwnerId", ["User"]),
      externalId(),
    ],
  };
}

/** One error of a refused record, as Salesforce words it. */
export interface RecordError {
  errorCode: string;
  message: string;
  fields: string[];
}

/** A request Salesforce refuses as a whole (400), before looking at any record. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** A custom validation rule of the org: `when` a record breaks it, FIELD_CUSTOM_VALIDATION_EXCEPTION. */
export interface ValidationRule {
  message: string;
  /** The field the error is shown on (none: at the top of the page). */
  field?: string;
  when: (record: SRecord) => boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * The request-level check of a record's fields: an unknown field is 400 INVALID_FIELD for the
 * whole request, as Salesforce answers when it cannot even read the body.
 */
export function checkKnownFields(type: SObjectType, fields: FieldDef[], body: SRecord): void {
  for (const name of Object.keys(body)) {
    if (name === "attributes") continue;
    if (!fields.some((f) => f.name === name)) throw new RequestError(400, "INVALID_FIELD", `No such column '${name}' on sobject of type ${type}`);
  }
}

/** The record-level checks of a create or an update: every problem Salesforce reports for it. */
export function checkRecord(
  fields: FieldDef[],
  body: SRecord,
  mode: "create" | "update",
  merged: SRecord,
  exists: (id: string, to: SObjectType[]) => "ok" | "missing" | "deleted" | "inactive",
  rules: ValidationRule[],
): RecordError[] {
  const errors: RecordError[] = [];
  const notSettable = Object.keys(body).filter((name) => {
    const f = fields.find((d) => d.name === name);
    return name !== "attributes" && name !== "Id" && f !== undefined && !(mode === "create" ? f.createable : f.updateable);
  });
  if (notSettable.length > 0) {
    errors.push({
      errorCode: "INVALID_FIELD_FOR_INSERT_UPDATE",
      message: `Unable to create/update fields: ${notSettable.join(", ")}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      fields: notSettable,
    });
    return errors;
  }
  for (const [name, value] of Object.entries(body)) {
    const f = fields.find((d) => d.name === name);
    if (!f || value === null) continue;
    const bad = (message: string, errorCode = "INVALID_TYPE_ON_FIELD_IN_RECORD") => errors.push({ errorCode, message, fields: [name] });
    switch (f.type) {
      case "string":
      case "textarea":
      case "email":
        if (typeof value !== "string") bad(`${name}: value not of required type: ${String(value)}`);
        else if (f.length !== undefined && value.length > f.length) bad(`${name}: data value too large: ${value.slice(0, 40)}… (max length=${f.length})`, "STRING_TOO_LONG");
        break;
      case "picklist":
        if (typeof value !== "string" || (f.restricted && !f.picklist?.includes(value))) bad(`bad value for restricted picklist field: ${String(value)}`, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        break;
      case "date":
        if (typeof value !== "string" || !DATE.test(value) || Number.isNaN(Date.parse(value))) bad(`${name}: value not of required type: ${String(value)}`);
        break;
      case "datetime":
        if (typeof value !== "string" || !DATETIME.test(value) || Number.isNaN(Date.parse(value))) bad(`${name}: value not of required type: ${String(value)}`);
        break;
      case "currency":
      case "int":
        if (typeof value !== "number" || !Number.isFinite(value) || (f.type === "int" && !Number.isInteger(value))) bad(`${name}: value not of required type: ${String(value)}`);
        break;
      case "boolean":
        if (typeof value !== "boolean") bad(`${name}: value not of required type: ${String(value)}`);
        break;
      case "reference": {
        if (typeof value !== "string" || !/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value)) {
          bad(`${name}: id value of incorrect type: ${String(value)}`, "MALFORMED_ID");
          break;
        }
        const found = exists(value, f.referenceTo ?? []);
        if (found === "missing") bad(`invalid cross reference id`, "INVALID_CROSS_REFERENCE_KEY");
        else if (found === "deleted") bad(`entity is deleted`, "ENTITY_IS_DELETED");
        else if (found === "inactive") bad(`operation performed with inactive user [${value}] as owner of ${name}`, "INACTIVE_OWNER_OR_USER");
        break;
      }
      default:
        break;
    }
  }
  if (errors.length > 0) return errors;
  const missing = fields.filter((f) => f.required && (merged[f.name] === undefined || merged[f.name] === null || merged[f.name] === ""));
  if (missing.length > 0) {
    errors.push({ errorCode: "REQUIRED_FIELD_MISSING", message: `Required fields are missing: [${missing.map((f) => f.name).join(", ")}]`, fields: missing.map((f) => f.name) });
    return errors;
  }
  for (const rule of rules) {
    if (rule.when(merged)) errors.push({ errorCode: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: rule.message, fields: rule.field ? [rule.field] : [] });
  }
  return errors;
}
