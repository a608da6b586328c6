import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { AssociationTypes as A } from "@hubspot/api-client";

/**
 * A local HubSpot for tests, the demo and a newcomer trying the sync: a real HTTP server with what
 * the CRM pull uses and what a push will write, as HubSpot's public API docs (CRM v3/v4 and the
 * OpenAPI specs of HubSpot-public-api-spec-collection) describe it.
 *
 * Reads
 * - `POST /crm/v3/objects/{type}/search` — `filterGroups` (OR of ANDs; at most 5 groups, 6 filters
 *   each, 18 in all), operators EQ NEQ GT GTE LT LTE BETWEEN IN NOT_IN HAS_PROPERTY NOT_HAS_PROPERTY,
 *   one sort (`{ propertyName, direction }` or a property name), `limit` ≤ 200, `after` (an offset).
 *   It never returns archived records, answers at most 10,000 results per query (paging past that
 *   is 400) and carries no rate-limit headers (as HubSpot says of its search endpoints). Records
 *   that tie on the sort property come in no particular order (here: a scrambled but stable one).
 * - `GET /crm/v3/objects/{type}` — the list by id, `limit` ≤ 100, `after` (the next id),
 *   `archived=true` (only archived records, with `archivedAt`), `properties`, `associations`.
 * - `GET /crm/v3/objects/{type}/{id}`, `POST /crm/v4/associations/{from}/{to}/batch/read`
 *   (≤ 1,000 ids; ids without associations are errors of a 207), `GET /crm/v3/owners` (paged,
 *   `archived`, `email`), `GET /crm/v3/pipelines/deals`.
 *
 * Writes (what HubSpot push needs)
 * - `POST /crm/v3/objects/{type}` for companies, contacts, deals and the engagements calls, emails,
 *   meetings, notes and tasks (`hs_timestamp` required), with inline `associations` (`to.id`,
 *   `types[{ associationCategory: "HUBSPOT_DEFINED", associationTypeId }]`, ids as in HubSpot's
 *   association type table); `PATCH /crm/v3/objects/{type}/{id}`; `POST …/batch/create` and
 *   `…/batch/update` (≤ 100 inputs, all or nothing); `DELETE …/{id}` (archives).
 * - Properties are strings; unknown ones are `PROPERTY_DOESNT_EXIST`, a value outside an
 *   enumeration's options `INVALID_OPTION`, a bad number or date `INVALID_INTEGER`/`INVALID_DATE`,
 *   all inside a 400 `VALIDATION_ERROR` (`message` "Property values were not valid: [...]", plus
 *   `errors[]` with `code` and `context.propertyName`).
 * - Custom properties (`defineProperty`, as an admin creates them) and `GET
 *   /crm/v3/properties/{type}/{name}` (`hasUniqueValue`); a value a unique property already has on
 *   another record is a 409 `CONFLICT` naming the existing id (a batch: nothing written).
 * - Search lags behind writes by `searchLagMs` (HubSpot's index), reads by id do not.
 *
 * Auth and faults
 * - `Authorization: Bearer pat-…` (the private app's token); anything else is 401
 *   `INVALID_AUTHENTICATION`. Each endpoint needs its scope (the specs' `security`); a revoked one
 *   is 403 `MISSING_SCOPES` naming it in `errors[].context.requiredGranularScopes`.
 * - Errors are `{ status: "error", message, correlationId, category, … }`. Every answer but
 *   search carries `X-HubSpot-RateLimit-*` (a 10-second window and the day).
 * - `fail()` answers the next matching requests with a status and category; `rateLimit()` with
 *   429 and a `policyName` (SECONDLY, TEN_SECONDLY_ROLLING, DAILY), optionally `Retry-After`;
 *   `hang()` never answers (a timeout); `hangAfterWrite()` makes the write and then never answers
 *   (HubSpot has it, the caller cannot know); `slowWrites()`; `rotateToken()` invalidates the
 *   token; `revokeScope()`.
 *
 * Records change through methods (`create`, `update`, `archive`, `associate`) that stamp the
 * last-modified property, like a user editing in HubSpot.
 */

export const HS_OBJECT_TYPES = ["companies", "contacts", "deals", "calls", "emails", "meetings", "notes", "tasks"] as const;
export type HsObjectType = (typeof HS_OBJECT_TYPES)[number];
export type HsProperties = Record<string, string | null>;

type PropertyKind = { type: "string" } | { type: "number" } | { type: "datetime" } | { type: "enumeration"; options: () => string[] } | { type: "readonly" };
/** A custom property an admin created; `unique`: "Require unique values" (hasUniqueValue). */
type CustomProperty = PropertyKind & { unique: boolean; label: string };

export interface HsRecord {
  id: string;
  type: HsObjectType;
  properties: HsProperties;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

export interface HsOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface HsStage {
  id: string;
  label: string;
  /** Closed stages (won or lost): `metadata.isClosed`. */
  closed?: boolean;
  probability?: number;
}

export interface HsPipeline {
  id: string;
  label: string;
  stages: HsStage[];
}

/** What a request is, for faults: the endpoint family it belongs to. */
export type HsEndpoint = "search" | "list" | "read" | "associations" | "owners" | "pipelines" | "properties" | "write";

export interface HsFault {
  /** Which requests (any when absent). */
  on?: HsEndpoint;
  /** Only requests for this object type (for search, list, read and write). */
  objectType?: HsObjectType;
  status: number;
  category: string;
  message?: string;
  /** Extra fields of the error body (e.g. `errors`, `context`). */
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface FakeHubSpotOptions {
  accessToken?: string;
  /** The clock that stamps createdate / last-modified dates. */
  now?: () => Date;
  /** Scopes the private app was granted (default: everything the sync and push need). */
  scopes?: string[];
  /** Requests per 10 s reported in X-HubSpot-RateLimit-Max (default 190, a Professional account). */
  tenSecondlyMax?: number;
  /** The daily budget reported in X-HubSpot-RateLimit-Daily (default 625,000). */
  dailyMax?: number;
  /**
   * How long a new record stays out of search results (HubSpot indexes writes for search a few
   * seconds later, reportedly up to 30 s; reads by id see them at once). Default 0.
   */
  searchLagMs?: number;
  port?: number;
}

/** Everything the sync reads and push writes: what `doctor` checks and the README lists. */
export const HUBSPOT_SCOPES = [
  "crm.objects.companies.read",
  "crm.objects.companies.write",
  "crm.objects.contacts.read",
  "crm.objects.contacts.write",
  "crm.objects.deals.read",
  "crm.objects.deals.write",
  "crm.objects.owners.read",
] as const;

/** The default sales pipeline of every HubSpot account. */
export const DEFAULT_PIPELINE: HsPipeline = {
  id: "default",
  label: "Sales Pipeline",
  stages: [
    { id: "appointmentscheduled", label: "Appointment Scheduled", probability: 0.2 },
    { id: "qualifiedtobuy", label: "Qualified To Buy", probability: 0.4 },
    { id: "presentationscheduled", label: "Presentation Scheduled", probability: 0.6 },
    { id: "decisionmakerboughtin", label: "Decision Maker Bought-In", probability: 0.8 },
    { id: "contractsent", label: "Contract Sent", probability: 0.9 },
    { id: "closedwon", label: "Closed Won", closed: true, probability: 1 },
    { id: "closedlost", label: "Closed Lost", closed: true, probability: 0 },
  ],
};

/** What a read without `properties` returns (HubSpot's defaults per object). */
const DEFAULT_PROPERTIES: Partial<Record<HsObjectType, string[]>> = {
  companies: ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
  contacts: ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
  deals: ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"],
};

const ENGAGEMENTS = ["calls", "emails", "meetings", "notes", "tasks"] as const;
type Engagement = (typeof ENGAGEMENTS)[number];

function isEngagement(type: HsObjectType): type is Engagement {
  return (ENGAGEMENTS as readonly string[]).includes(type);
}

/** The last-modified property: contacts have their own name for it. */
export function lastModifiedProperty(type: HsObjectType): string {
  return type === "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate";
}

/**
 * HubSpot-defined association types between the objects here (from the client's AssociationTypes,
 * HubSpot's own table): [from, to, typeId, the inverse's typeId, label]. A labelled association
 * (Primary) always comes with the unlabelled one.
 */
const ASSOCIATION_TYPES: [HsObjectType, HsObjectType, number, number, string | null][] = [
  ["contacts", "companies", A.contactToCompany, A.companyToContact, null],
  ["contacts", "companies", A.primaryContactToCompany, A.primaryCompanyToContact, "Primary"],
  ["deals", "companies", A.dealToCompany, A.companyToDeal, null],
  ["deals", "companies", A.primaryDealToCompany, A.primaryCompanyToDeal, "Primary"],
  ["deals", "contacts", A.dealToContact, A.contactToDeal, null],
  ["calls", "companies", A.callToCompany, A.companyToCall, null],
  ["calls", "contacts", A.callToContact, A.contactToCall, null],
  ["calls", "deals", A.callToDeal, A.dealToCall, null],
  ["emails", "companies", A.emailToCompany, A.companyToEmail, null],
  ["emails", "contacts", A.emailToContact, A.contactToEmail, null],
  ["emails", "deals", A.emailToDeal, A.dealToEmail, null],
  ["meetings", "companies", A.meetingToCompany, A.companyToMeeting, null],
  ["meetings", "contacts", A.meetingToContact, A.contactToMeeting, null],
  ["meetings", "deals", A.meetingToDeal, A.dealToMeeting, null],
  ["notes", "companies", A.noteToCompany, A.companyToNote, null],
  ["notes", "contacts", A.noteToContact, A.contactToNote, null],
  ["notes", "deals", A.noteToDeal, A.dealToNote, null],
  ["tasks", "companies", A.taskToCompany, A.companyToTask, null],
  ["tasks", "contacts", A.taskToContact, A.contactToTask, null],
  ["tasks", "deals", A.taskToDeal, A.dealToTask, null],
];

interface AssociationType {
  from: HsObjectType;
  to: HsObjectType;
  typeId: number;
  inverse: number;
  label: string | null;
  /** The unlabelled type that comes with a labelled one. */
  base: number;
}

const ASSOCIATIONS: AssociationType[] = ASSOCIATION_TYPES.flatMap(([from, to, typeId, inverse, label]) => {
  const base = ASSOCIATION_TYPES.find(([f, t, , , l]) => f === from && t === to && l === null)!;
  const inverseBase = base[3];
  return [
    { from, to, typeId, inverse, label, base: base[2] },
    { from: to, to: from, typeId: inverse, inverse: typeId, label, base: inverseBase },
  ];
});

class HsError extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A datetime property value as HubSpot takes it: epoch milliseconds, or ISO 8601. */
function parseHsDate(value: string): number | null {
  if (/^-?\d+$/.test(value)) return Number(value);
  if (!ISO.test(value)) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** A stable, scrambled order for ties (HubSpot promises none). */
function scramble(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

interface PropertyError {
  name: string;
  error: string;
  message: string;
}

export class FakeHubSpot {
  /** Every request, in order (method, path without the query string, status; 0 = never answered). */
  readonly requests: { method: string; path: string; status: number }[] = [];
  private token: string;
  private readonly scopes: Set<string>;
  private readonly records: Record<HsObjectType, Map<string, HsRecord>>;
  /** (from type, from id) → (to type, to id) → association type ids. */
  private readonly links = new Map<string, Map<string, Set<number>>>();
  private readonly owners = new Map<string, HsOwner>();
  private readonly pipelines: HsPipeline[] = [structuredClone(DEFAULT_PIPELINE)];
  private readonly extraProperties: Record<HsObjectType, Map<string, CustomProperty>>;
  private readonly faults: (HsFault & { left: number })[] = [];
  private hangs: { on?: HsEndpoint; left: number }[] = [];
  private hangsAfterWrite = 0;
  private writeDelayMs = 0;
  /** While set, every write waits for it before it is answered (`holdWritesUntil`). */
  private writeGate: Promise<unknown> | null = null;
  private readonly hung: ServerResponse[] = [];
  private readonly listeners: ((method: string, path: string) => void)[] = [];
  private nextId = 1000;
  private lastStamp = 0;
  /** Bumped on every change: search results are cached per query until the data changes. */
  private version = 0;
  private readonly searchCache = new Map<string, { version: number; rows: HsRecord[] }>();
  private window = { start: 0, count: 0 };
  private daily = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly opts: FakeHubSpotOptions,
  ) {
    this.token = opts.accessToken ?? `pat-na1-${randomUUID()}`;
    this.scopes = new Set(opts.scopes ?? [...HUBSPOT_SCOPES]);
    this.records = Object.fromEntries(HS_OBJECT_TYPES.map((t) => [t, new Map()])) as Record<HsObjectType, Map<string, HsRecord>>;
    this.extraProperties = Object.fromEntries(HS_OBJECT_TYPES.map((t) => [t, new Map()])) as Record<HsObjectType, Map<string, CustomProperty>>;
  }

  static async start(opts: FakeHubSpotOptions = {}): Promise<FakeHubSpot> {
    const ready: { fake?: FakeHubSpot } = {};
    const server = createServer((req, res) => {
      void ready.fake?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    ready.fake = new FakeHubSpot(server, `http://127.0.0.1:${port}`, opts);
    return ready.fake;
  }

  async stop(): Promise<void> {
    for (const res of this.hung.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The private app's current access token. */
  get accessToken(): string {
    return this.token;
  }

  // ── the schema ───────────────────────────────────────────────────────────────────────────────

  private ownerIds = () => [...this.owners.values()].filter((o) => !o.archived).map((o) => o.id);

  /** The properties of each object type (the part of HubSpot's schema the sync and push use). */
  private property(type: HsObjectType, name: string): PropertyKind | undefined {
    return this.schema[type][name] ?? this.extraProperties[type].get(name);
  }

  /** Built once: a search compares every record, so the lookup must be cheap. */
  private readonly schema: Record<HsObjectType, Record<string, PropertyKind>> = (() => {
    const str: PropertyKind = { type: "string" };
    const num: PropertyKind = { type: "number" };
    const date: PropertyKind = { type: "datetime" };
    const ro: PropertyKind = { type: "readonly" };
    const owner: PropertyKind = { type: "enumeration", options: this.ownerIds };
    const enumOf = (...options: string[]): PropertyKind => ({ type: "enumeration", options: () => options });
    const byType: Record<HsObjectType, Record<string, PropertyKind>> = {
      companies: { name: str, domain: str, industry: str, annualrevenue: num, city: str, country: str, phone: str, numberofemployees: num, description: str },
      contacts: { firstname: str, lastname: str, email: str, jobtitle: str, phone: str, company: str, associatedcompanyid: num, lifecyclestage: str },
      deals: {
        dealname: str,
        amount: num,
        closedate: date,
        pipeline: { type: "enumeration", options: () => this.pipelines.map((p) => p.id) },
        dealstage: { type: "enumeration", options: () => this.pipelines.flatMap((p) => p.stages.map((s) => s.id)) },
        description: str,
        closed_lost_reason: str,
      },
      calls: { hs_timestamp: date, hs_call_title: str, hs_call_body: str, hs_call_duration: num, hs_call_direction: enumOf("INBOUND", "OUTBOUND"), hs_call_status: enumOf("BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING", "FAILED", "IN_PROGRESS", "NO_ANSWER", "QUEUED", "RINGING"), hs_call_disposition: str },
      emails: { hs_timestamp: date, hs_email_subject: str, hs_email_text: str, hs_email_html: str, hs_email_direction: enumOf("EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"), hs_email_status: enumOf("BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT"), hs_email_headers: str },
      meetings: { hs_timestamp: date, hs_meeting_title: str, hs_meeting_body: str, hs_internal_meeting_notes: str, hs_meeting_location: str, hs_meeting_start_time: date, hs_meeting_end_time: date, hs_meeting_outcome: enumOf("SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED") },
      notes: { hs_timestamp: date, hs_note_body: str },
      tasks: { hs_timestamp: date, hs_task_subject: str, hs_task_body: str, hs_task_status: enumOf("NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"), hs_task_priority: enumOf("NONE", "LOW", "MEDIUM", "HIGH"), hs_task_type: enumOf("CALL", "EMAIL", "TODO", "LINKED_IN") },
    };
    // Every object has its id, creation and last-modified dates (read only) and an owner.
    for (const type of HS_OBJECT_TYPES) Object.assign(byType[type], { hs_object_id: ro, createdate: ro, [lastModifiedProperty(type)]: ro, hubspot_owner_id: owner });
    return byType;
  })();

  /** Adds a custom property (e.g. an id of ours to find a pushed record again); `unique`: "Require unique values". */
  defineProperty(type: HsObjectType, name: string, kind: "string" | "number" | "datetime" = "string", opts: { unique?: boolean; label?: string } = {}): void {
    this.extraProperties[type].set(name, { type: kind, unique: opts.unique ?? false, label: opts.label ?? name });
    this.version++;
  }

  /**
   * The custom key property an admin creates for the push (README → Connect HubSpot): single-line
   * text on every object the push writes, with "Require unique values" on deals (HubSpot offers
   * that there, not on engagements).
   */
  definePushProperty(name: string): void {
    for (const type of ["calls", "emails", "meetings", "notes", "tasks", "deals"] as const) this.defineProperty(type, name, "string", { unique: type === "deals", label: "AE Assistant Id" });
  }

  /** Removes a custom property (an account where nobody created it). */
  dropProperty(type: HsObjectType, name: string): void {
    this.extraProperties[type].delete(name);
    this.version++;
  }

  /** A value a unique property already has on another live record: 409 CONFLICT, as HubSpot answers it. */
  private checkUnique(type: HsObjectType, properties: HsProperties, exceptId: string | null, taken = new Map<string, string>()): void {
    for (const [name, prop] of this.extraProperties[type]) {
      const value = properties[name];
      if (!prop.unique || value === null || value === undefined || value === "") continue;
      const clash = taken.get(`${name}\u0000${value}`) ?? [...this.records[type].values()].find((r) => r.id !== exceptId && !r.archived && r.properties[name] === value)?.id;
      if (clash !== undefined) {
        throw new HsError(409, "CONFLICT", `A record already has the value ${value} for the unique property ${name}. Existing ID: ${clash}`, { context: { propertyName: [name], existingId: [clash] } });
      }
      taken.set(`${name}\u0000${value}`, "(this batch)");
    }
  }

  /** Adds a pipeline (its stage ids are what CRM_STAGE_MAP maps). */
  addPipeline(pipeline: HsPipeline): void {
    this.pipelines.push(structuredClone(pipeline));
  }

  // ── data, changed as a user in HubSpot would ─────────────────────────────────────────────────

  private stamp(): string {
    // Never earlier than the last stamp: a record changed later never sorts before one changed earlier.
    const t = Math.max((this.opts.now ?? (() => new Date()))().getTime(), this.lastStamp);
    this.lastStamp = t;
    return new Date(t).toISOString();
  }

  addOwner(o: { email: string; firstName?: string; lastName?: string; archived?: boolean }): string {
    const id = String(this.nextId++);
    const at = this.stamp();
    this.owners.set(id, { id, email: o.email, firstName: o.firstName ?? "", lastName: o.lastName ?? "", userId: 9_000_000 + Number(id), archived: o.archived ?? false, createdAt: at, updatedAt: at });
    return id;
  }

  /** Creates a record (properties validated as the API would); returns its id. */
  create(type: HsObjectType, properties: HsProperties, associations: { to: HsObjectType; id: string; typeId?: number }[] = []): string {
    const errors = this.validate(type, properties, true);
    if (errors.length > 0) throw new Error(`fake HubSpot: ${errors.map((e) => `${e.error}: ${e.message}`).join("; ")}`);
    this.checkUnique(type, properties, null);
    return this.insert(type, properties, associations.map((a) => ({ ...a, typeId: a.typeId ?? this.defaultType(type, a.to) })));
  }

  /** Datetimes are stored (and returned) as ISO strings, whatever form they were written in. */
  private normalize(type: HsObjectType, properties: HsProperties): HsProperties {
    const out: HsProperties = {};
    for (const [k, v] of Object.entries(properties)) {
      const t = v === null || this.property(type, k)?.type !== "datetime" ? null : parseHsDate(v);
      out[k] = t === null ? v : new Date(t).toISOString();
    }
    return out;
  }

  private insert(type: HsObjectType, properties: HsProperties, associations: { to: HsObjectType; id: string; typeId: number }[]): string {
    const id = String(this.nextId++);
    const at = this.stamp();
    const props: HsProperties = { ...this.normalize(type, properties), hs_object_id: id, createdate: at, [lastModifiedProperty(type)]: at };
    if (type === "deals") props.pipeline ??= "default";
    this.records[type].set(id, { id, type, properties: props, createdAt: at, updatedAt: at, archived: false });
    for (const a of associations) this.link(type, id, a.to, a.id, a.typeId);
    if (type === "contacts" && props.associatedcompanyid) this.link("contacts", id, "companies", props.associatedcompanyid, A.primaryContactToCompany);
    this.version++;
    return id;
  }

  /** Changes properties (validated); a null value clears one. Stamps the last-modified date. */
  update(type: HsObjectType, id: string, properties: HsProperties): HsRecord {
    const record = this.get(type, id);
    const errors = this.validate(type, properties, false, record.properties);
    if (errors.length > 0) throw new Error(`fake HubSpot: ${errors.map((e) => `${e.error}: ${e.message}`).join("; ")}`);
    return this.patch(record, properties);
  }

  private patch(record: HsRecord, properties: HsProperties): HsRecord {
    const at = this.stamp();
    Object.assign(record.properties, this.normalize(record.type, properties), { [lastModifiedProperty(record.type)]: at });
    record.updatedAt = at;
    if (record.type === "contacts" && "associatedcompanyid" in properties) {
      this.unlinkPrimary("contacts", record.id, "companies");
      if (properties.associatedcompanyid) this.link("contacts", record.id, "companies", properties.associatedcompanyid, A.primaryContactToCompany);
    }
    this.version++;
    return record;
  }

  /** Deletes a record: it is archived (restorable for 90 days), so `archived=true` still lists it. */
  archive(type: HsObjectType, id: string): void {
    const record = this.get(type, id);
    const at = this.stamp();
    record.archived = true;
    record.archivedAt = at;
    this.version++;
  }

  /** Restores an archived record (it gets a new last-modified date). */
  restore(type: HsObjectType, id: string): void {
    const record = this.get(type, id);
    record.archived = false;
    delete record.archivedAt;
    this.patch(record, {});
  }

  /** Deletes a record for good (a GDPR delete, a merge, or 90 days in the recycle bin): gone from every listing. */
  purge(type: HsObjectType, id: string): void {
    this.get(type, id);
    this.records[type].delete(id);
    this.version++;
  }

  /**
   * Associates two records (default type, or `typeId`). Like HubSpot, this does not change the
   * records' last-modified dates.
   */
  associate(from: HsObjectType, fromId: string, to: HsObjectType, toId: string, typeId?: number): void {
    this.get(from, fromId);
    this.get(to, toId);
    this.link(from, fromId, to, toId, typeId ?? this.defaultType(from, to));
    this.version++;
  }

  private defaultType(from: HsObjectType, to: HsObjectType): number {
    const t = ASSOCIATIONS.find((a) => a.from === from && a.to === to && a.label === null);
    if (!t) throw new Error(`fake HubSpot: ${from} cannot be associated with ${to}`);
    return t.typeId;
  }

  private linkKey = (type: HsObjectType, id: string) => `${type}:${id}`;

  private link(from: HsObjectType, fromId: string, to: HsObjectType, toId: string, typeId: number): void {
    const spec = ASSOCIATIONS.find((a) => a.from === from && a.to === to && a.typeId === typeId);
    if (!spec) throw new Error(`fake HubSpot: no association type ${typeId} from ${from} to ${to}`);
    // One primary company per contact or deal.
    if (spec.label === "Primary") this.unlinkPrimary(from, fromId, to);
    const add = (f: HsObjectType, fId: string, t: HsObjectType, tId: string, ids: number[]) => {
      const key = this.linkKey(f, fId);
      const targets = this.links.get(key) ?? new Map<string, Set<number>>();
      this.links.set(key, targets);
      const set = targets.get(this.linkKey(t, tId)) ?? new Set<number>();
      targets.set(this.linkKey(t, tId), set);
      for (const i of ids) set.add(i);
    };
    add(from, fromId, to, toId, [spec.typeId, spec.base]);
    const inverse = ASSOCIATIONS.find((a) => a.from === to && a.to === from && a.typeId === spec.inverse)!;
    add(to, toId, from, fromId, [inverse.typeId, inverse.base]);
    if (from === "contacts" && to === "companies" && spec.label === "Primary") this.get("contacts", fromId).properties.associatedcompanyid = toId;
  }

  private unlinkPrimary(from: HsObjectType, fromId: string, to: HsObjectType): void {
    const primary = ASSOCIATIONS.find((a) => a.from === from && a.to === to && a.label === "Primary");
    if (!primary) return;
    for (const [target, ids] of this.links.get(this.linkKey(from, fromId)) ?? []) {
      if (!target.startsWith(`${to}:`) || !ids.has(primary.typeId)) continue;
      ids.delete(primary.typeId);
      this.links.get(target)?.get(this.linkKey(from, fromId))?.delete(primary.inverse);
    }
  }

  /** The records `from` is associated with in `to`, with the association type ids. */
  associations(from: HsObjectType, fromId: string, to: HsObjectType): { id: string; typeIds: number[] }[] {
    const out: { id: string; typeIds: number[] }[] = [];
    for (const [target, ids] of this.links.get(this.linkKey(from, fromId)) ?? []) {
      const [type, id] = target.split(":") as [HsObjectType, string];
      const record = this.records[type].get(id);
      if (type === to && record && !record.archived && ids.size > 0) out.push({ id, typeIds: [...ids].sort((a, b) => a - b) });
    }
    return out.sort((a, b) => Number(a.id) - Number(b.id));
  }

  get(type: HsObjectType, id: string): HsRecord {
    const record = this.records[type].get(id);
    if (!record) throw new Error(`fake HubSpot: no ${type} ${id}`);
    return record;
  }

  /** A live record by id or by its name (company name, deal name, contact email or full name). */
  find(type: HsObjectType, idOrName: string): HsRecord | undefined {
    const byId = this.records[type].get(idOrName);
    if (byId && !byId.archived) return byId;
    const key = idOrName.toLowerCase();
    const name = (r: HsRecord) => [r.properties.name, r.properties.dealname, r.properties.email, [r.properties.firstname, r.properties.lastname].filter(Boolean).join(" ")].map((v) => (v ?? "").toLowerCase());
    return this.list(type).find((r) => name(r).includes(key));
  }

  /** Live records of a type, oldest first. */
  list(type: HsObjectType): HsRecord[] {
    return [...this.records[type].values()].filter((r) => !r.archived);
  }

  count(type: HsObjectType): number {
    return this.records[type].size;
  }

  ownerList(): HsOwner[] {
    return [...this.owners.values()];
  }

  // ── faults ────────────────────────────────────────────────────────────────────────────────────

  fail(fault: HsFault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** The next `times` matching requests get 429 with HubSpot's rate-limit body. */
  rateLimit(opts: { on?: HsEndpoint; policy: "SECONDLY" | "TEN_SECONDLY_ROLLING" | "DAILY"; retryAfterSeconds?: number; times?: number }): void {
    const message = opts.policy === "DAILY" ? "You have reached your daily limit." : opts.policy === "SECONDLY" ? "You have reached your secondly limit." : "You have reached your ten_secondly_rolling limit.";
    this.fail({
      on: opts.on,
      status: 429,
      category: "RATE_LIMITS",
      message,
      times: opts.times,
      body: { errorType: "RATE_LIMIT", policyName: opts.policy, groupName: "api-calls" },
      headers: {
        ...(opts.retryAfterSeconds !== undefined ? { "retry-after": String(opts.retryAfterSeconds) } : {}),
        ...(opts.policy === "DAILY" ? { "x-hubspot-ratelimit-daily-remaining": "0" } : { "x-hubspot-ratelimit-remaining": "0" }),
      },
    });
  }

  /** The next `times` matching requests get no answer at all (until `stop`). */
  hang(on?: HsEndpoint, times = 1): void {
    this.hangs.push({ on, left: times });
  }

  /** The next `times` writes are made and then never answered (HubSpot has them; the caller cannot know). */
  hangAfterWrite(times = 1): void {
    this.hangsAfterWrite += times;
  }

  /** Every write is answered `ms` later (a busy account: concurrent pushes overlap). */
  slowWrites(ms: number): void {
    this.writeDelayMs = ms;
  }

  /**
   * Every write waits until `gate` settles before it is made and answered: a test lets several
   * writers get as far as the CRM before any of them is answered, instead of counting on timing.
   */
  holdWritesUntil(gate: Promise<unknown>): void {
    const held = gate.catch(() => undefined);
    this.writeGate = held;
    void held.then(() => {
      if (this.writeGate === held) this.writeGate = null;
    });
  }

  /** Every injected fault is withdrawn (HubSpot works again). */
  clearFaults(): void {
    this.faults.splice(0);
    this.hangs = [];
    this.hangsAfterWrite = 0;
    this.writeDelayMs = 0;
  }

  /** The private app's token is rotated: the old one is refused (401) from now on. */
  rotateToken(): string {
    this.token = `pat-na1-${randomUUID()}`;
    return this.token;
  }

  revokeScope(scope: string): void {
    this.scopes.delete(scope);
  }

  grantScope(scope: string): void {
    this.scopes.add(scope);
  }

  /** Runs `fn` before each request is answered (a test changes data in the middle of a pass). */
  onRequest(fn: (method: string, path: string) => void): void {
    this.listeners.push(fn);
  }

  /** Requests to the CRM API that got an answer. */
  apiRequests(): number {
    return this.requests.filter((r) => r.status !== 0).length;
  }

  // ── HTTP ──────────────────────────────────────────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const method = req.method ?? "GET";
    const text = await new Promise<string>((resolve) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => (body += c));
      req.on("end", () => resolve(body));
    });
    for (const fn of this.listeners) fn(method, url.pathname);
    const route = this.route(method, url.pathname);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method, path: url.pathname, status });
      const limits = route?.endpoint === "search" ? {} : this.limitHeaders();
      res.writeHead(status, { "content-type": "application/json;charset=utf-8", ...limits, ...headers });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    const error = (e: HsError, headers: Record<string, string> = {}) =>
      send(e.status, { status: "error", message: e.message, correlationId: randomUUID(), category: e.category, ...e.extra }, headers);
    const hang = this.hangs.find((h) => h.left > 0 && (h.on === undefined || h.on === route?.endpoint));
    if (hang) {
      hang.left--;
      this.requests.push({ method, path: url.pathname, status: 0 });
      this.hung.push(res);
      return;
    }
    const auth = req.headers.authorization ?? "";
    if (auth !== `Bearer ${this.token}`) {
      return error(
        new HsError(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"),
      );
    }
    if (!route) return error(new HsError(404, "OBJECT_NOT_FOUND", `No route for ${method} ${url.pathname}`));
    const fault = this.faults.find((f) => f.left > 0 && (f.on === undefined || f.on === route.endpoint) && (f.objectType === undefined || f.objectType === route.type));
    if (fault) {
      fault.left--;
      return error(new HsError(fault.status, fault.category, fault.message ?? fault.category, fault.body), fault.headers);
    }
    const missing = route.scopes.length > 0 && !route.scopes.some((s) => this.scopes.has(s));
    if (missing) {
      return error(
        new HsError(403, "MISSING_SCOPES", "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", {
          errors: [{ message: "One or more of the following scopes are required.", context: { requiredGranularScopes: route.scopes } }],
          links: { scopes: "https://developers.hubspot.com/scopes" },
        }),
      );
    }
    let body: unknown = undefined;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        return error(new HsError(400, "VALIDATION_ERROR", "Invalid input JSON on line 1: the body is not JSON"));
      }
    }
    if (route.endpoint === "write" && this.writeGate) await this.writeGate;
    if (route.endpoint === "write" && this.writeDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.writeDelayMs));
    try {
      const [status, payload] = route.run(url.searchParams, body);
      if (route.endpoint === "write" && this.hangsAfterWrite > 0) {
        this.hangsAfterWrite--;
        this.requests.push({ method, path: url.pathname, status: 0 });
        this.hung.push(res);
        return;
      }
      send(status, payload);
    } catch (e) {
      if (e instanceof HsError) return error(e);
      throw e;
    }
  }

  /** HubSpot's usage headers: a rolling 10-second window (real time) and the day. */
  private limitHeaders(): Record<string, string> {
    const now = Date.now();
    if (now - this.window.start >= 10_000) this.window = { start: now, count: 0 };
    this.window.count++;
    this.daily++;
    const max = this.opts.tenSecondlyMax ?? 190;
    const dailyMax = this.opts.dailyMax ?? 625_000;
    return {
      "x-hubspot-ratelimit-interval-milliseconds": "10000",
      "x-hubspot-ratelimit-max": String(max),
      "x-hubspot-ratelimit-remaining": String(Math.max(0, max - this.window.count)),
      "x-hubspot-ratelimit-daily": String(dailyMax),
      "x-hubspot-ratelimit-daily-remaining": String(Math.max(0, dailyMax - this.daily)),
    };
  }

  private route(method: string, path: string): { endpoint: HsEndpoint; type?: HsObjectType; scopes: string[]; run: (qs: URLSearchParams, body: unknown) => [number, unknown] } | null {
    const readScope = (t: HsObjectType) => (isEngagement(t) ? ["crm.objects.contacts.read", ...(t === "emails" ? ["sales-email-read"] : [])] : [`crm.objects.${t}.read`]);
    const writeScope = (t: HsObjectType) => (isEngagement(t) ? ["crm.objects.contacts.write", ...(t === "emails" ? ["sales-email-read"] : [])] : [`crm.objects.${t}.write`]);
    const typeOf = (s: string): HsObjectType | undefined => ((HS_OBJECT_TYPES as readonly string[]).includes(s) ? (s as HsObjectType) : undefined);
    let m: RegExpExecArray | null;
    if (method === "GET" && path === "/crm/v3/owners") return { endpoint: "owners", scopes: ["crm.objects.owners.read"], run: (qs) => this.ownersPage(qs) };
    if ((m = /^\/crm\/v3\/properties\/(\w+)\/(\w+)$/.exec(path)) && method === "GET") {
      const type = typeOf(m[1]!);
      const name = m[2]!;
      if (!type) return null;
      return { endpoint: "properties", type, scopes: readScope(type), run: () => [200, this.propertyJson(type, name)] };
    }
    if (method === "GET" && path === "/crm/v3/pipelines/deals") return { endpoint: "pipelines", scopes: ["crm.objects.deals.read"], run: () => [200, { results: this.pipelines.map((p, i) => this.pipelineJson(p, i)) }] };
    if ((m = /^\/crm\/v4\/associations\/(\w+)\/(\w+)\/batch\/read$/.exec(path)) && method === "POST") {
      const from = typeOf(m[1]!);
      const to = typeOf(m[2]!);
      if (!from || !to) return null;
      return { endpoint: "associations", type: from, scopes: [...readScope(from)], run: (_qs, body) => this.associationsBatch(from, to, body) };
    }
    if (!(m = /^\/crm\/v3\/objects\/(\w+)(?:\/(search|batch\/create|batch\/update|\d+))?$/.exec(path))) return null;
    const type = typeOf(m[1]!);
    if (!type) return null;
    const rest = m[2];
    if (rest === "search" && method === "POST") return { endpoint: "search", type, scopes: readScope(type), run: (_qs, body) => this.search(type, body) };
    if (rest === "batch/create" && method === "POST") return { endpoint: "write", type, scopes: writeScope(type), run: (_qs, body) => this.batchCreate(type, body) };
    if (rest === "batch/update" && method === "POST") return { endpoint: "write", type, scopes: writeScope(type), run: (_qs, body) => this.batchUpdate(type, body) };
    if (rest === undefined && method === "GET") return { endpoint: "list", type, scopes: readScope(type), run: (qs) => this.listPage(type, qs) };
    if (rest === undefined && method === "POST") return { endpoint: "write", type, scopes: writeScope(type), run: (_qs, body) => [201, this.json(this.get(type, this.createFromApi(type, body)), null)] };
    if (rest !== undefined && /^\d+$/.test(rest)) {
      const id = rest;
      if (method === "GET") return { endpoint: "read", type, scopes: readScope(type), run: (qs) => [200, this.json(this.live(type, id, qs.get("archived") === "true"), qs.get("properties")?.split(",") ?? null)] };
      if (method === "PATCH") return { endpoint: "write", type, scopes: writeScope(type), run: (_qs, body) => [200, this.json(this.updateFromApi(type, id, body), null)] };
      if (method === "DELETE") {
        return {
          endpoint: "write",
          type,
          scopes: writeScope(type),
          run: () => {
            if (this.records[type].get(id)?.archived === false) this.archive(type, id);
            return [204, undefined];
          },
        };
      }
    }
    return null;
  }

  private live(type: HsObjectType, id: string, archived = false): HsRecord {
    const record = this.records[type].get(id);
    if (!record || record.archived !== archived) throw new HsError(404, "OBJECT_NOT_FOUND", `Object not found.  objectId are usually numeric.`, { context: { id: [id] } });
    return record;
  }

  /** `current`: the record an update changes (a deal's stage must be one of its pipeline's). */
  private validate(type: HsObjectType, properties: unknown, creating: boolean, current?: HsProperties): PropertyError[] {
    if (typeof properties !== "object" || properties === null || Array.isArray(properties)) {
      return [{ name: "properties", error: "INVALID_INPUT", message: "properties must be an object of property names to string values" }];
    }
    const errors: PropertyError[] = [];
    for (const [name, raw] of Object.entries(properties)) {
      const kind = this.property(type, name);
      if (!kind) {
        errors.push({ name, error: "PROPERTY_DOESNT_EXIST", message: `Property "${name}" does not exist` });
        continue;
      }
      if (raw === null || raw === "") continue;
      const value = typeof raw === "number" || typeof raw === "boolean" ? String(raw) : raw;
      if (typeof value !== "string") {
        errors.push({ name, error: "INVALID_INPUT", message: `Property "${name}" must be a string` });
        continue;
      }
      if (kind.type === "readonly") errors.push({ name, error: "READ_ONLY_VALUE", message: `"${name}" is a read only property; its value cannot be set.` });
      else if (kind.type === "number" && !/^-?\d+(\.\d+)?$/.test(value)) errors.push({ name, error: "INVALID_INTEGER", message: `${value} was not a valid number.` });
      else if (kind.type === "datetime" && parseHsDate(value) === null) errors.push({ name, error: "INVALID_DATE", message: `${value} was not a valid long or ISO 8601 datetime.` });
      else if (kind.type === "enumeration" && !kind.options().includes(value)) {
        errors.push({ name, error: "INVALID_OPTION", message: `${value} was not one of the allowed options: [${kind.options().join(", ")}]` });
      }
    }
    const props = properties as Record<string, unknown>;
    if (creating && isEngagement(type) && (props.hs_timestamp === undefined || props.hs_timestamp === null || props.hs_timestamp === "")) {
      errors.push({ name: "hs_timestamp", error: "REQUIRED_PROPERTY", message: 'Property "hs_timestamp" is required.' });
    }
    if (type === "deals" && typeof props.dealstage === "string" && errors.every((e) => e.name !== "dealstage")) {
      const pipeline = this.pipelines.find((p) => p.id === (typeof props.pipeline === "string" ? props.pipeline : (current?.pipeline ?? "default")));
      if (pipeline && !pipeline.stages.some((s) => s.id === props.dealstage)) {
        errors.push({ name: "dealstage", error: "INVALID_OPTION", message: `${props.dealstage} is not a stage of pipeline ${pipeline.id}: [${pipeline.stages.map((s) => s.id).join(", ")}]` });
      }
    }
    return errors;
  }

  private validationError(errors: PropertyError[]): HsError {
    const detail = errors.map((e) => ({ isValid: false, message: e.message, error: e.error, name: e.name, localizedErrorMessage: e.message }));
    return new HsError(400, "VALIDATION_ERROR", `Property values were not valid: ${JSON.stringify(detail)}`, {
      errors: errors.map((e) => ({ message: e.message, code: e.error, context: { propertyName: [e.name] } })),
    });
  }

  private stringProps(properties: Record<string, unknown>): HsProperties {
    const out: HsProperties = {};
    for (const [k, v] of Object.entries(properties)) out[k] = v === null || v === "" ? null : String(v);
    return out;
  }

  private parseInput(type: HsObjectType, input: unknown, creating: boolean, current?: HsProperties): { properties: HsProperties; associations: { to: HsObjectType; id: string; typeId: number }[] } {
    if (typeof input !== "object" || input === null) throw new HsError(400, "VALIDATION_ERROR", "Invalid input JSON: expected an object with properties");
    const { properties, associations } = input as { properties?: unknown; associations?: unknown };
    const errors = this.validate(type, properties ?? {}, creating, current);
    if (errors.length > 0) throw this.validationError(errors);
    const links: { to: HsObjectType; id: string; typeId: number }[] = [];
    if (associations !== undefined) {
      if (!creating) throw new HsError(400, "VALIDATION_ERROR", "associations can only be given when creating");
      if (!Array.isArray(associations)) throw new HsError(400, "VALIDATION_ERROR", "associations must be an array");
      for (const a of associations as { to?: { id?: unknown }; types?: { associationCategory?: unknown; associationTypeId?: unknown }[] }[]) {
        const toId = a.to?.id === undefined ? "" : String(a.to.id);
        if (!Array.isArray(a.types) || a.types.length === 0) throw new HsError(400, "VALIDATION_ERROR", "each association needs types [{ associationCategory, associationTypeId }]");
        for (const t of a.types) {
          const spec = ASSOCIATIONS.find((s) => s.from === type && s.typeId === t.associationTypeId);
          if (t.associationCategory !== "HUBSPOT_DEFINED" || !spec) {
            throw new HsError(400, "VALIDATION_ERROR", `${String(t.associationCategory)} ${String(t.associationTypeId)} is not a valid association type from ${type}`, { context: { associationTypeId: [String(t.associationTypeId)] } });
          }
          if (this.records[spec.to].get(toId)?.archived !== false) {
            throw new HsError(400, "VALIDATION_ERROR", `One or more associations are invalid: ${spec.to} ${toId} does not exist`, { context: { toObjectId: [toId] } });
          }
          links.push({ to: spec.to, id: toId, typeId: spec.typeId });
        }
      }
    }
    return { properties: this.stringProps((properties ?? {}) as Record<string, unknown>), associations: links };
  }

  private createFromApi(type: HsObjectType, body: unknown): string {
    const input = this.parseInput(type, body, true);
    this.checkUnique(type, input.properties, null);
    return this.insert(type, input.properties, input.associations);
  }

  private updateFromApi(type: HsObjectType, id: string, body: unknown): HsRecord {
    const record = this.live(type, id);
    const input = this.parseInput(type, body, false, record.properties);
    this.checkUnique(type, input.properties, id);
    return this.patch(record, input.properties);
  }

  private batchInputs(body: unknown): unknown[] {
    const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(inputs)) throw new HsError(400, "VALIDATION_ERROR", "inputs must be an array");
    if (inputs.length > 100) throw new HsError(400, "VALIDATION_ERROR", `Batch input limit exceeded: ${inputs.length} inputs, at most 100`);
    return inputs;
  }

  private batchCreate(type: HsObjectType, body: unknown): [number, unknown] {
    const startedAt = new Date().toISOString();
    // All or nothing: every input is checked before anything is written.
    const parsed = this.batchInputs(body).map((i) => this.parseInput(type, i, true));
    const taken = new Map<string, string>();
    for (const p of parsed) this.checkUnique(type, p.properties, null, taken);
    const ids = parsed.map((p) => this.insert(type, p.properties, p.associations));
    return [201, { status: "COMPLETE", results: ids.map((id) => this.json(this.get(type, id), null)), startedAt, completedAt: new Date().toISOString() }];
  }

  private batchUpdate(type: HsObjectType, body: unknown): [number, unknown] {
    const startedAt = new Date().toISOString();
    const parsed = this.batchInputs(body).map((i) => {
      const id = String((i as { id?: unknown }).id ?? "");
      const record = this.live(type, id);
      return { record, input: this.parseInput(type, i, false, record.properties) };
    });
    const taken = new Map<string, string>();
    for (const p of parsed) this.checkUnique(type, p.input.properties, p.record.id, taken);
    const results = parsed.map((p) => this.json(this.patch(p.record, p.input.properties), null));
    return [200, { status: "COMPLETE", results, startedAt, completedAt: new Date().toISOString() }];
  }

  /** A record as the API returns it: the asked-for properties (unset ones null) and the defaults. */
  private json(r: HsRecord, properties: string[] | null, defaults: string[] = ["hs_object_id", "createdate", lastModifiedProperty(r.type)]) {
    const names = properties === null ? Object.keys(r.properties) : [...new Set([...defaults, ...properties])];
    const props: HsProperties = {};
    for (const n of names) if (this.property(r.type, n)) props[n] = r.properties[n] ?? null;
    return { id: r.id, properties: props, createdAt: r.createdAt, updatedAt: r.updatedAt, archived: r.archived, ...(r.archivedAt ? { archivedAt: r.archivedAt } : {}) };
  }

  private limit(qs: URLSearchParams | unknown, max: number, fallback: number): number {
    const raw = qs instanceof URLSearchParams ? qs.get("limit") : qs;
    if (raw === null || raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new HsError(400, "VALIDATION_ERROR", `limit must be a whole number from 1 to ${max}, not ${String(raw)}`);
    if (n > max) throw new HsError(400, "VALIDATION_ERROR", `limit must be at most ${max}, not ${n}`);
    return n;
  }

  private listPage(type: HsObjectType, qs: URLSearchParams): [number, unknown] {
    const limit = this.limit(qs, 100, 10);
    const archived = qs.get("archived") === "true";
    const after = qs.get("after");
    const asked = qs.get("properties")?.split(",").filter(Boolean) ?? [];
    const properties = asked.length > 0 ? asked : (DEFAULT_PROPERTIES[type] ?? []);
    const associations = qs.get("associations")?.split(",").filter(Boolean) ?? [];
    const rows = [...this.records[type].values()].filter((r) => r.archived === archived && (after === null || Number(r.id) >= Number(after))).sort((a, b) => Number(a.id) - Number(b.id));
    const page = rows.slice(0, limit);
    const next = rows[limit];
    const results = page.map((r) => {
      const out: Record<string, unknown> = this.json(r, properties);
      const assoc: Record<string, { results: { id: string; type: string }[] }> = {};
      for (const to of associations) {
        const toType = (HS_OBJECT_TYPES as readonly string[]).includes(to) ? (to as HsObjectType) : undefined;
        if (!toType) continue;
        const found = this.associations(type, r.id, toType);
        if (found.length > 0) assoc[toType] = { results: found.map((f) => ({ id: f.id, type: `${type.replace(/ies$/, "y").replace(/s$/, "")}_to_${toType.replace(/ies$/, "y").replace(/s$/, "")}` })) };
      }
      if (Object.keys(assoc).length > 0) out.associations = assoc;
      return out;
    });
    return [200, { results, ...(next ? { paging: { next: { after: next.id, link: `${this.url}/crm/v3/objects/${type}?after=${next.id}` } } } : {}) }];
  }

  private search(type: HsObjectType, body: unknown): [number, unknown] {
    const b = (body ?? {}) as { filterGroups?: unknown; sorts?: unknown; properties?: unknown; limit?: unknown; after?: unknown; query?: unknown };
    const limit = this.limit(b.limit, 200, 10);
    const after = b.after === undefined || b.after === null || b.after === "" ? 0 : Number(b.after);
    if (!Number.isInteger(after) || after < 0) throw new HsError(400, "VALIDATION_ERROR", `after must be a paging cursor from a previous page, not ${String(b.after)}`);
    if (after >= 10_000) throw new HsError(400, "VALIDATION_ERROR", "The search endpoints are limited to 10,000 total results for any given query. Narrow the query (for example by the last timestamp seen) instead of paging further.");
    if (b.query !== undefined) throw new HsError(400, "VALIDATION_ERROR", "the fake HubSpot does not support full-text query");
    const groups = this.filterGroups(type, b.filterGroups);
    const sort = this.sortOf(type, b.sorts);
    const properties = Array.isArray(b.properties) ? b.properties.map(String) : [];
    // The live records in sort order are cached until the data changes; each query filters them.
    const key = JSON.stringify([type, sort]);
    const cached = this.searchCache.get(key);
    let sorted: HsRecord[];
    if (cached && cached.version === this.version) sorted = cached.rows;
    else {
      sorted = [...this.records[type].values()].filter((r) => !r.archived);
      const rows = sorted;
      if (sort) {
        const dir = sort.direction === "DESCENDING" ? -1 : 1;
        const value = (r: HsRecord) => this.comparable(type, sort.propertyName, r.properties[sort.propertyName] ?? null);
        rows.sort((x, y) => {
          const a = value(x);
          const c = value(y);
          if (a === c) return scramble(x.id) - scramble(y.id);
          if (a === null) return 1;
          if (c === null) return -1;
          return (a < c ? -1 : 1) * dir;
        });
      } else rows.sort((x, y) => Number(x.id) - Number(y.id));
      this.searchCache.set(key, { version: this.version, rows });
    }
    // HubSpot's search index follows its writes a little later: the newest records are not found yet.
    const lag = this.opts.searchLagMs ?? 0;
    const indexedBefore = lag > 0 ? (this.opts.now ?? (() => new Date()))().getTime() - lag : Infinity;
    const indexed = lag > 0 ? sorted.filter((r) => Date.parse(r.createdAt) <= indexedBefore) : sorted;
    const rows = groups.length === 0 ? indexed : indexed.filter((r) => groups.some((g) => g.every((f) => f(r))));
    const page = rows.slice(after, after + limit).map((r) => this.json(r, properties.length > 0 ? properties : (DEFAULT_PROPERTIES[type] ?? [])));
    const next = after + limit < rows.length ? String(after + limit) : undefined;
    return [200, { total: rows.length, results: page, ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}) }];
  }

  /** Parsed datetimes: a search compares the same stamps again and again. */
  private readonly dates = new Map<string, number | null>();

  private comparable(type: HsObjectType, name: string, value: string | null): number | string | null {
    if (value === null) return null;
    const kind = this.property(type, name);
    if (name === "hs_object_id" || kind?.type === "number") return Number(value);
    if (kind?.type === "datetime" || name === "createdate" || name === lastModifiedProperty(type)) {
      let t = this.dates.get(value);
      if (t === undefined) {
        t = parseHsDate(value);
        if (this.dates.size > 1_000_000) this.dates.clear();
        this.dates.set(value, t);
      }
      return t;
    }
    return value.toLowerCase();
  }

  private sortOf(type: HsObjectType, sorts: unknown): { propertyName: string; direction: string } | null {
    if (sorts === undefined || (Array.isArray(sorts) && sorts.length === 0)) return null;
    if (!Array.isArray(sorts)) throw new HsError(400, "VALIDATION_ERROR", "sorts must be an array");
    if (sorts.length > 1) throw new HsError(400, "VALIDATION_ERROR", "Only one sort rule can be applied to a search");
    const s: unknown = sorts[0];
    const sort = typeof s === "string" ? { propertyName: s, direction: "ASCENDING" } : (s as { propertyName?: unknown; direction?: unknown });
    const name = String(sort.propertyName ?? "");
    if (!this.property(type, name)) throw new HsError(400, "VALIDATION_ERROR", `Cannot sort on property "${name}": it does not exist on ${type}`);
    const direction = sort.direction === undefined ? "ASCENDING" : String(sort.direction);
    if (direction !== "ASCENDING" && direction !== "DESCENDING") throw new HsError(400, "VALIDATION_ERROR", `sort direction must be ASCENDING or DESCENDING, not ${direction}`);
    return { propertyName: name, direction };
  }

  private filterGroups(type: HsObjectType, raw: unknown): ((r: HsRecord) => boolean)[][] {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) throw new HsError(400, "VALIDATION_ERROR", "filterGroups must be an array");
    if (raw.length > 5) throw new HsError(400, "VALIDATION_ERROR", "At most 5 filterGroups are allowed");
    let total = 0;
    return raw.map((g: { filters?: unknown }) => {
      if (!Array.isArray(g?.filters)) throw new HsError(400, "VALIDATION_ERROR", "each filter group needs filters");
      if (g.filters.length > 6) throw new HsError(400, "VALIDATION_ERROR", "At most 6 filters are allowed per filter group");
      total += g.filters.length;
      if (total > 18) throw new HsError(400, "VALIDATION_ERROR", "At most 18 filters are allowed in all");
      return g.filters.map((f: { propertyName?: unknown; operator?: unknown; value?: unknown; values?: unknown; highValue?: unknown }) => {
        const name = String(f.propertyName ?? "");
        if (!this.property(type, name)) throw new HsError(400, "VALIDATION_ERROR", `There was a problem with the request: property "${name}" does not exist on ${type}`);
        const value = (v: unknown) => {
          if (v === undefined || v === null) throw new HsError(400, "VALIDATION_ERROR", `filter on ${name} with ${String(f.operator)} needs a value`);
          const c = this.comparable(type, name, String(v));
          if (c === null) throw new HsError(400, "VALIDATION_ERROR", `${String(v)} is not a valid value for ${name}`);
          return c;
        };
        const get = (r: HsRecord) => this.comparable(type, name, r.properties[name] ?? null);
        switch (f.operator) {
          case "HAS_PROPERTY":
            return (r: HsRecord) => get(r) !== null;
          case "NOT_HAS_PROPERTY":
            return (r: HsRecord) => get(r) === null;
          case "IN":
          case "NOT_IN": {
            if (!Array.isArray(f.values)) throw new HsError(400, "VALIDATION_ERROR", `${String(f.operator)} needs values`);
            const set = new Set(f.values.map(value));
            return f.operator === "IN" ? (r: HsRecord) => set.has(get(r) ?? NaN) : (r: HsRecord) => !set.has(get(r) ?? NaN);
          }
          case "BETWEEN": {
            const lo = value(f.value);
            const hi = value(f.highValue);
            return (r: HsRecord) => {
              const v = get(r);
              return v !== null && v >= lo && v <= hi;
            };
          }
          case "EQ":
          case "NEQ":
          case "GT":
          case "GTE":
          case "LT":
          case "LTE": {
            const target = value(f.value);
            const op = f.operator;
            return (r: HsRecord) => {
              const v = get(r);
              if (op === "NEQ") return v !== target;
              if (v === null) return false;
              return op === "EQ" ? v === target : op === "GT" ? v > target : op === "GTE" ? v >= target : op === "LT" ? v < target : v <= target;
            };
          }
          default:
            throw new HsError(400, "VALIDATION_ERROR", `the fake HubSpot does not support the operator ${String(f.operator)}`);
        }
      });
    });
  }

  private associationsBatch(from: HsObjectType, to: HsObjectType, body: unknown): [number, unknown] {
    const startedAt = new Date().toISOString();
    const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(inputs)) throw new HsError(400, "VALIDATION_ERROR", "inputs must be an array of { id }");
    if (inputs.length > 1000) throw new HsError(400, "VALIDATION_ERROR", `Batch input limit exceeded: ${inputs.length} inputs, at most 1000`);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs as { id?: unknown }[]) {
      const id = String(input?.id ?? "");
      const found = this.records[from].get(id)?.archived === false ? this.associations(from, id, to) : [];
      if (found.length === 0) {
        errors.push({ status: "error", category: "OBJECT_NOT_FOUND", message: `No ${to} is associated with ${from} ${id}.`, context: { fromObjectId: [id] } });
        continue;
      }
      results.push({
        from: { id },
        to: found.map((f) => ({
          toObjectId: Number(f.id),
          associationTypes: f.typeIds.map((typeId) => ({ category: "HUBSPOT_DEFINED", typeId, label: ASSOCIATIONS.find((a) => a.from === from && a.to === to && a.typeId === typeId)?.label ?? null })),
        })),
      });
    }
    const payload = { status: "COMPLETE", results, ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}), startedAt, completedAt: new Date().toISOString() };
    return [errors.length > 0 ? 207 : 200, payload];
  }

  private ownersPage(qs: URLSearchParams): [number, unknown] {
    const limit = this.limit(qs, 500, 100);
    const archived = qs.get("archived") === "true";
    const email = qs.get("email")?.toLowerCase();
    const after = qs.get("after");
    const rows = [...this.owners.values()].filter((o) => o.archived === archived && (email === undefined || o.email.toLowerCase() === email) && (after === null || Number(o.id) >= Number(after)));
    const page = rows.slice(0, limit);
    const next = rows[limit];
    return [200, { results: page.map((o) => ({ ...o, teams: [] })), ...(next ? { paging: { next: { after: next.id, link: `${this.url}/crm/v3/owners?after=${next.id}` } } } : {}) }];
  }

  /** `GET /crm/v3/properties/{type}/{name}`: the definition (404 when the account has no such property). */
  private propertyJson(type: HsObjectType, name: string) {
    const custom = this.extraProperties[type].get(name);
    const kind = custom ?? this.schema[type][name];
    if (!kind) throw new HsError(404, "OBJECT_NOT_FOUND", `Unable to find property ${name} for object type ${type}`, { context: { propertyName: [name] } });
    const at = new Date(0).toISOString();
    const types = { string: ["string", "text"], number: ["number", "number"], datetime: ["datetime", "date"], enumeration: ["enumeration", "select"], readonly: ["string", "text"] } as const;
    const [t, fieldType] = types[kind.type];
    return {
      name,
      label: custom?.label ?? name,
      type: t,
      fieldType,
      groupName: custom ? "custom" : `${type}information`,
      description: "",
      options: kind.type === "enumeration" ? kind.options().map((o, i) => ({ label: o, value: o, displayOrder: i, hidden: false })) : [],
      hasUniqueValue: custom?.unique ?? false,
      hubspotDefined: custom === undefined,
      calculated: false,
      formField: false,
      hidden: false,
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
  }

  private pipelineJson(p: HsPipeline, displayOrder: number) {
    const at = new Date(0).toISOString();
    return {
      id: p.id,
      label: p.label,
      displayOrder,
      archived: false,
      createdAt: at,
      updatedAt: at,
      stages: p.stages.map((s, i) => ({ id: s.id, label: s.label, displayOrder: i, archived: false, createdAt: at, updatedAt: at, metadata: { isClosed: String(s.closed ?? false), probability: String(s.probability ?? 0) } })),
    };
  }
}

/** A fresh private-app-shaped token, for tests that need a wrong one. */
export function randomHubSpotToken(): string {
  return `pat-na1-${randomBytes(16).toString("hex").replace(/(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-")}`;
}
