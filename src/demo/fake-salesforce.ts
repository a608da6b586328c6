import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import {
  checkKnownFields,
  checkRecord,
  DEFAULT_STAGES,
  describeFields,
  EXTERNAL_ID_FIELD,
  ID_PREFIX,
  RequestError,
  type FieldDef,
  type RecordError,
  type SObjectType,
  type SRecord,
  type ValidationRule,
} from "./fake-salesforce-schema.js";

export { EXTERNAL_ID_FIELD, type SObjectType, type SRecord, type ValidationRule };

/**
 * A local Salesforce for tests, the demo and a newcomer trying the sync: a real HTTP server that
 * implements what the CRM pull and push use, as the public REST API docs describe it.
 *
 * - `POST /services/oauth2/token` — OAuth 2.0 client-credentials flow (form-encoded
 *   `grant_type=client_credentials&client_id&client_secret`); a wrong id or secret is
 *   400 `invalid_client`.
 * - `GET /services/data/vNN.N/query?q=` and `/queryAll?q=` — a small SOQL subset: `SELECT <fields>
 *   FROM <type> [WHERE SystemModstamp > <datetime> | [IsActive = true AND] Email IN ('…', …)]
 *   [ORDER BY SystemModstamp, Id] [LIMIT n]`, with relationship fields such as `Owner.Email`.
 *   Datetimes are unquoted (a quoted one is `INVALID_FIELD`, as in Salesforce). `queryAll` also
 *   returns deleted records (`IsDeleted = true`). Pages of up to 2,000 records
 *   (`Sforce-Query-Options: batchSize=`), followed through `nextRecordsUrl` until `done`.
 * - Writes (sObject Rows and sObject Collections): `POST /sobjects/{Type}` (201 `{ id, success,
 *   errors }`), `GET|PATCH|DELETE /sobjects/{Type}/{id}` (PATCH and DELETE 204),
 *   `GET /sobjects/{Type}/{externalIdField}/{value}`, `GET /sobjects/{Type}/describe`, and
 *   `POST|PATCH /composite/sobjects` (up to 200 records, `allOrNone`, 200 with a SaveResult per
 *   record whose errors carry `statusCode`). Records are checked as Salesforce checks them
 *   (fake-salesforce-schema.ts): unknown fields (400 INVALID_FIELD for the request), fields that
 *   cannot be set, required fields, restricted picklists (StageName, Task Status/Subtype),
 *   lengths, dates, references, the unique external id field (DUPLICATE_VALUE), and the org's
 *   validation rules (`addValidationRule`: FIELD_CUSTOM_VALIDATION_EXCEPTION).
 * - Every response carries `Sforce-Limit-Info: api-usage=N/M`; errors are `[{ message, errorCode, fields }]`.
 * - Fault injection: `fail()` answers the next matching requests with a status and error code
 *   (401 INVALID_SESSION_ID, 429, 403 REQUEST_LIMIT_EXCEEDED, …); `hang()` never answers them
 *   (a timeout); `hangAfterWrite()` makes the write and then never answers (the CRM has it, the
 *   caller cannot know: a crash or a timeout between Salesforce's 201 and our commit);
 *   `revokeTokens()` expires every issued session; `hide()` takes read access to an object away;
 *   `dropField()` removes a field from an object (an org without the external id field).
 *
 * Records are changed through methods (`create`, `update`, `remove`) that bump SystemModstamp,
 * like a user editing in Salesforce.
 */

export interface FakeSalesforceOptions {
  clientId?: string;
  clientSecret?: string;
  /** Largest page the server returns (Salesforce: 2,000). Tests use a small one to exercise paging. */
  maxPageSize?: number;
  /** The clock that stamps SystemModstamp. */
  now?: () => Date;
  /** The daily API budget reported in Sforce-Limit-Info. */
  apiLimit?: number;
  /** The org's opportunity stages (StageName is a restricted picklist); default: Salesforce's default sales process. */
  stages?: string[];
  port?: number;
}

/**
 * Which requests a fault hits: "token", "query" (first pages), "more" (nextRecordsUrl pages),
 * "read" (GET of a record or a describe) or "write" (POST, PATCH, DELETE of records).
 */
export type RequestKind = "token" | "query" | "more" | "read" | "write";

export interface Fault {
  /** Which requests; any when absent. */
  on?: RequestKind;
  status: number;
  errorCode: string;
  message?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
}

interface PendingQuery {
  type: SObjectType;
  records: SRecord[];
  pageSize: number;
}

const ORG_ID = "00D5g000004ORGA";

/** Lookup fields and the object they point to (`OwnerId` → `Owner.Email`). */
const LOOKUPS: Record<string, { field: string; type: SObjectType }> = {
  Owner: { field: "OwnerId", type: "User" },
  Account: { field: "AccountId", type: "Account" },
};

class SoqlError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** Salesforce's datetime format in JSON: `2026-11-30T09:15:00.000+0000`. */
export function sfDateTime(d: Date): string {
  return d.toISOString().replace("Z", "+0000");
}

interface ParsedQuery {
  fields: string[];
  type: SObjectType;
  since: { op: ">" | ">="; at: Date } | null;
  /** `Email IN ('a', 'b')` (owners by email), optionally with `IsActive = true AND` before it. */
  emails: { values: string[]; activeOnly: boolean } | null;
  ordered: boolean;
  limit: number | null;
}

const SOQL =
  /^SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+(.+?))?(?:\s+LIMIT\s+(\d+))?\s*$/i;

/** The field names of each object the run-as user can query (undefined: not an object it sees). */
type FieldNames = (type: string) => string[] | undefined;

function parseWhere(clause: string): Pick<ParsedQuery, "since" | "emails"> {
  const emails = /^(IsActive\s*=\s*true\s+AND\s+)?Email\s+IN\s*\((.*)\)$/i.exec(clause);
  if (emails) {
    const values = [...emails[2]!.matchAll(/'((?:[^'\\]|\\.)*)'\s*(,|$)/g)].map((v) => v[1]!.replace(/\\(.)/g, "$1"));
    if (values.length === 0) throw new SoqlError("MALFORMED_QUERY", `unexpected token in IN list: ${emails[2]!.slice(0, 60)}`);
    return { since: null, emails: { values, activeOnly: emails[1] !== undefined } };
  }
  const w = /^SystemModstamp\s*(>=|>)\s*(\S+)$/i.exec(clause);
  if (!w) throw new SoqlError("MALFORMED_QUERY", `unsupported WHERE clause: ${clause}`);
  const literal = w[2]!;
  if (/^['"]/.test(literal)) {
    throw new SoqlError("INVALID_FIELD", "value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes");
  }
  const at = new Date(literal);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(literal) || Number.isNaN(at.getTime())) {
    throw new SoqlError("INVALID_FIELD", `line 1: value of filter criterion for field 'SystemModstamp' must be of type dateTime: ${literal}`);
  }
  return { since: { op: w[1] as ">" | ">=", at }, emails: null };
}

function parseSoql(q: string, fieldsOf: FieldNames): ParsedQuery {
  const m = SOQL.exec(q.trim());
  if (!m) throw new SoqlError("MALFORMED_QUERY", `unexpected token in query: ${q.slice(0, 80)}`);
  const type = m[2]!;
  const own = fieldsOf(type);
  if (!own) throw new SoqlError("INVALID_TYPE", `sObject type '${type}' is not supported.`);
  const sobject = type as SObjectType;
  const fields = m[1]!.split(",").map((f) => f.trim());
  for (const f of fields) {
    const [head, tail] = f.split(".");
    const lookup = LOOKUPS[head!];
    const known = tail === undefined ? own.includes(head!) : lookup !== undefined && own.includes(lookup.field) && (fieldsOf(lookup.type) ?? []).includes(tail);
    if (!known) throw new SoqlError("INVALID_FIELD", `No such column '${f}' on entity '${sobject}'.`);
  }
  const where = m[3] === undefined ? { since: null, emails: null } : parseWhere(m[3].trim());
  const order = m[4]?.replace(/\s+/g, " ").trim();
  if (order !== undefined && !/^SystemModstamp( ASC)?, ?Id( ASC)?$/i.test(order)) throw new SoqlError("MALFORMED_QUERY", `unsupported ORDER BY: ${order}`);
  return { fields, type: sobject, ...where, ordered: order !== undefined, limit: m[5] === undefined ? null : Number(m[5]) };
}

/** The fields Salesforce computes from others: an event's end and day, a task's IsClosed. */
function derived(type: SObjectType, r: SRecord): SRecord {
  if (type === "Task") return { IsClosed: r.Status === "Completed" };
  if (type !== "Event" || typeof r.StartDateTime !== "string") return {};
  const start = Date.parse(r.StartDateTime);
  const minutes = typeof r.DurationInMinutes === "number" ? r.DurationInMinutes : typeof r.EndDateTime === "string" ? Math.round((Date.parse(r.EndDateTime) - start) / 60_000) : 0;
  return { DurationInMinutes: minutes, EndDateTime: sfDateTime(new Date(start + minutes * 60_000)), ActivityDateTime: sfDateTime(new Date(start)), ActivityDate: new Date(start).toISOString().slice(0, 10) };
}

/** A write of one record in a batch, and what became of it. */
type SaveResult = { id: string; success: true; errors: [] } | { success: false; errors: { statusCode: string; message: string; fields: string[] }[] };

type Send = (status: number, payload?: unknown, headers?: Record<string, string>) => void;
/** Sending an answer, or holding the request unanswered (recorded with status 0, closed by stop()). */
interface Answer {
  send: Send;
  hold: () => void;
}

const API = /^\/services\/data\/v(\d+\.\d)\/(.*?)\/?$/;

export class FakeSalesforce {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Every request, in order (method and path without the query string). */
  readonly requests: { method: string; path: string; status: number }[] = [];
  private readonly data: Record<SObjectType, Map<string, SRecord>> = { Account: new Map(), Opportunity: new Map(), Contact: new Map(), User: new Map(), Task: new Map(), Event: new Map() };
  private readonly schema: Record<SObjectType, FieldDef[]>;
  private readonly rules: Partial<Record<SObjectType, ValidationRule[]>> = {};
  private hangsAfterWrite = 0;
  private writeDelayMs = 0;
  /** While set, every write waits for it before it is answered (`holdWritesUntil`). */
  private writeGate: Promise<unknown> | null = null;
  private readonly tokens = new Set<string>();
  private readonly pending = new Map<string, PendingQuery>();
  private readonly faults: (Fault & { left: number })[] = [];
  private hangs: { on?: RequestKind; left: number }[] = [];
  /** Objects the run-as user may not read (Salesforce then says the type is not supported). */
  private readonly hidden = new Set<SObjectType>();
  private readonly hung: ServerResponse[] = [];
  private counter = 0;
  private lastStamp = 0;
  private apiUsage = 0;
  private maxPageSize: number;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly opts: FakeSalesforceOptions,
  ) {
    this.clientId = opts.clientId ?? "fake-consumer-key";
    this.clientSecret = opts.clientSecret ?? "fake-consumer-secret";
    this.maxPageSize = opts.maxPageSize ?? 2000;
    this.schema = describeFields(opts.stages ?? DEFAULT_STAGES);
  }

  static async start(opts: FakeSalesforceOptions = {}): Promise<FakeSalesforce> {
    const ready: { fake?: FakeSalesforce } = {};
    const server = createServer((req, res) => {
      void ready.fake?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    ready.fake = new FakeSalesforce(server, `http://127.0.0.1:${port}`, opts);
    return ready.fake;
  }

  async stop(): Promise<void> {
    for (const res of this.hung.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  setMaxPageSize(n: number): void {
    this.maxPageSize = n;
  }

  // ── data, changed as a user in Salesforce would ──────────────────────────────────────────────

  private stamp(): string {
    // Never earlier than the last stamp: a record changed later never sorts before one changed earlier.
    const t = Math.max((this.opts.now ?? (() => new Date()))().getTime(), this.lastStamp);
    this.lastStamp = t;
    return sfDateTime(new Date(t));
  }

  /** Creates a record; returns its 18-character id. */
  create(type: SObjectType, fields: SRecord): string {
    this.counter++;
    const id15 = `${ID_PREFIX[type]}5g${this.counter.toString(36).toUpperCase().padStart(10, "0")}`;
    const id = `${id15}AAA`;
    const stamp = this.stamp();
    const record: SRecord = { Id: id, IsDeleted: false, CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp, ...fields };
    if (type === "Contact") record.Name = [fields.FirstName, fields.LastName].filter((v) => typeof v === "string" && v !== "").join(" ");
    this.data[type].set(id, record);
    return id;
  }

  update(type: SObjectType, id: string, fields: SRecord): void {
    const record = this.get(type, id);
    const stamp = this.stamp();
    Object.assign(record, fields, { LastModifiedDate: stamp, SystemModstamp: stamp });
    if (type === "Contact") record.Name = [record.FirstName, record.LastName].filter((v) => typeof v === "string" && v !== "").join(" ");
  }

  /** Deletes a record: it goes to the Recycle Bin, so `queryAll` still returns it with IsDeleted. */
  remove(type: SObjectType, id: string): void {
    const record = this.get(type, id);
    Object.assign(record, { IsDeleted: true, SystemModstamp: this.stamp() });
  }

  /** A record by its 18- or 15-character id (Salesforce accepts both), or undefined. */
  private byId(type: SObjectType, id: string): SRecord | undefined {
    return this.data[type].get(id) ?? (id.length === 15 ? this.data[type].get(`${id}AAA`) : undefined);
  }

  /** Deletes a record for good (emptied from the Recycle Bin, or older than its 15 days): not even `queryAll` has it. */
  purge(type: SObjectType, id: string): void {
    this.data[type].delete(String(this.get(type, id).Id));
  }

  /** A record by id, or by Name or Subject (case-insensitive; the first one). */
  find(type: SObjectType, idOrName: string): SRecord | undefined {
    const byId = this.byId(type, idOrName);
    if (byId) return byId;
    const key = idOrName.toLowerCase();
    return [...this.data[type].values()].find((r) => [r.Name, r.Subject].some((v) => typeof v === "string" && v.toLowerCase() === key));
  }

  /** Every live record of a type, oldest first. */
  list(type: SObjectType): SRecord[] {
    return [...this.data[type].values()].filter((r) => r.IsDeleted !== true);
  }

  get(type: SObjectType, id: string): SRecord {
    const record = this.byId(type, id);
    if (!record) throw new Error(`fake Salesforce: no ${type} ${id}`);
    return record;
  }

  count(type: SObjectType): number {
    return this.data[type].size;
  }

  // ── faults ────────────────────────────────────────────────────────────────────────────────────

  fail(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Every write is answered `ms` later (a busy org), so writers running at once overlap. */
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

  /** Every injected fault is withdrawn (the org works again). */
  clearFaults(): void {
    this.faults.splice(0);
    this.hangs = [];
    this.hangsAfterWrite = 0;
  }

  /** The next `times` matching requests get no answer at all (until `stop`). */
  hang(on?: RequestKind, times = 1): void {
    this.hangs.push({ on, left: times });
  }

  /**
   * The next `times` writes are made (the records exist in Salesforce) and then never answered: what
   * the caller sees when it crashes, or times out, between Salesforce's 201 and its own commit.
   */
  hangAfterWrite(times = 1): void {
    this.hangsAfterWrite += times;
  }

  /** A custom validation rule of the org on `type` (FIELD_CUSTOM_VALIDATION_EXCEPTION when `when` holds). */
  addValidationRule(type: SObjectType, rule: ValidationRule): void {
    (this.rules[type] ??= []).push(rule);
  }

  /** The admin relaxes the org: every custom validation rule is removed. */
  clearValidationRules(): void {
    for (const type of Object.keys(this.rules) as SObjectType[]) delete this.rules[type];
  }

  /** Removes a field from an object's describe (an org where the admin has not created it). */
  dropField(type: SObjectType, field: string): void {
    this.schema[type] = this.schema[type].filter((f) => f.name !== field);
  }

  /** The run-as user loses read access to `type` (queries on it answer INVALID_TYPE). */
  hide(type: SObjectType): void {
    this.hidden.add(type);
  }

  /** Expires every session issued so far (the next API call is 401 INVALID_SESSION_ID). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Requests to the REST API (not the token endpoint). */
  apiRequests(): number {
    return this.requests.filter((r) => r.path.startsWith("/services/data/")).length;
  }

  // ── HTTP ──────────────────────────────────────────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const method = req.method ?? "GET";
    const body = await new Promise<string>((resolve) => {
      let text = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => (text += c));
      req.on("end", () => resolve(text));
    });
    const kind = this.kindOf(method, url.pathname);
    if (kind === "write" && this.writeGate) await this.writeGate;
    if (kind === "write" && this.writeDelayMs > 0) await new Promise((r) => setTimeout(r, this.writeDelayMs));
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method, path: url.pathname, status });
      if (kind !== "token") this.apiUsage++;
      res.writeHead(status, {
        ...(payload === undefined ? {} : { "content-type": "application/json;charset=UTF-8" }),
        "sforce-limit-info": `api-usage=${this.apiUsage}/${this.opts.apiLimit ?? 15000}`,
        ...headers,
      });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    const hold = () => {
      this.requests.push({ method, path: url.pathname, status: 0 });
      this.hung.push(res);
    };
    const hang = this.hangs.find((h) => h.left > 0 && (h.on === undefined || h.on === kind));
    if (hang) {
      hang.left--;
      return hold();
    }
    const fault = this.faults.find((f) => f.left > 0 && (f.on === undefined || f.on === kind));
    if (fault) {
      fault.left--;
      if (kind === "token") return send(fault.status, { error: fault.errorCode, error_description: fault.message ?? fault.errorCode });
      return send(fault.status, [{ message: fault.message ?? fault.errorCode, errorCode: fault.errorCode }], fault.status === 429 ? { "retry-after": "1" } : {});
    }
    if (kind === "token") return this.token(req, body, send);

    const auth = req.headers.authorization ?? "";
    if (!this.tokens.has(auth.replace(/^Bearer\s+/i, ""))) {
      return send(401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
    }
    const api = API.exec(url.pathname);
    const notFound = () => send(404, [{ message: "The requested resource does not exist", errorCode: "NOT_FOUND" }]);
    if (!api) return notFound();
    const [, version, rest] = api as unknown as [string, string, string];
    const parts = rest.split("/");
    try {
      if (parts[0] === "query" || parts[0] === "queryAll") {
        if (method !== "GET" || parts.length > 2) return notFound();
        return this.query(version, parts[0], parts[1], url, req, send);
      }
      if (parts[0] === "sobjects" && parts.length >= 2) return this.sobjects(method, version, parts.slice(1), url, body, { send, hold });
      if (parts[0] === "composite" && parts[1] === "sobjects" && parts.length === 2) return this.collections(method, body, { send, hold });
      return notFound();
    } catch (error) {
      if (error instanceof RequestError) return send(error.status, [{ message: error.message, errorCode: error.errorCode }]);
      if (error instanceof SoqlError) return send(400, [{ message: error.message, errorCode: error.errorCode }]);
      throw error;
    }
  }

  private kindOf(method: string, path: string): RequestKind {
    if (path === "/services/oauth2/token") return "token";
    if (/\/query(All)?\/[^/]+$/.test(path)) return "more";
    if (/\/query(All)?\/?$/.test(path)) return "query";
    return method === "GET" ? "read" : "write";
  }

  private query(version: string, endpoint: string, locator: string | undefined, url: URL, req: IncomingMessage, send: (s: number, p: unknown) => void): void {
    if (locator !== undefined) return this.more(`/services/data/v${version}/${endpoint}`, locator, send);
    const q = url.searchParams.get("q");
    if (!q) return send(400, [{ message: "A query string has to be specified", errorCode: "MALFORMED_QUERY" }]);
    const parsed = parseSoql(q, (type) => (type in this.schema ? this.schema[type as SObjectType].map((f) => f.name) : undefined));
    if (this.hidden.has(parsed.type)) {
      return send(400, [{ message: `sObject type '${parsed.type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`, errorCode: "INVALID_TYPE" }]);
    }
    const batch = /batchSize=(\d+)/i.exec(String(req.headers["sforce-query-options"] ?? ""));
    const pageSize = Math.min(this.maxPageSize, batch ? Number(batch[1]) : 2000);
    const records = this.select(parsed, endpoint === "queryAll", version);
    this.page(`/services/data/v${version}/${endpoint}`, { type: parsed.type, records, pageSize }, send);
  }

  // ── writes ────────────────────────────────────────────────────────────────────────────────────

  private typeOf(name: string | undefined): SObjectType {
    if (name === undefined || !(name in this.schema) || this.hidden.has(name as SObjectType)) {
      throw new RequestError(404, "NOT_FOUND", `The requested resource does not exist`);
    }
    return name as SObjectType;
  }

  private parseBody(body: string): unknown {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new RequestError(400, "JSON_PARSER_ERROR", "Unexpected character: was expecting a JSON value");
    }
  }

  private asRecord(value: unknown): SRecord {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new RequestError(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of sObject from a value that is not an object");
    const out: SRecord = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === "attributes") continue;
      if (v !== null && typeof v === "object") throw new RequestError(400, "JSON_PARSER_ERROR", `Cannot deserialize instance of ${k} from an object`);
      out[k] = v as string | number | boolean | null;
    }
    return out;
  }

  /** `/sobjects/{Type}[/describe | /{id} | /{externalIdField}/{value}]`. */
  private sobjects(method: string, version: string, parts: string[], url: URL, body: string, answer: Answer): void {
    const { send } = answer;
    const type = this.typeOf(parts[0]);
    if (parts.length === 1) {
      if (method !== "POST") throw new RequestError(405, "METHOD_NOT_ALLOWED", `HTTP Method '${method}' not allowed. Allowed are GET,HEAD,POST`);
      const record = this.asRecord(this.parseBody(body));
      checkKnownFields(type, this.schema[type], record);
      const result = this.createOne(type, record);
      if (!result.success) return send(400, result.errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields })));
      return this.answerWrite(answer, () => send(201, result, { location: `/services/data/v${version}/sobjects/${type}/${result.id}` }));
    }
    if (parts.length === 2 && parts[1] === "describe" && method === "GET") return send(200, this.describe(type));
    if (parts.length === 3 && method === "GET") {
      const field = this.schema[type].find((f) => f.name === parts[1]);
      if (!field?.externalId) throw new RequestError(404, "NOT_FOUND", `Provided external ID field does not exist or is not accessible: ${parts[1]}`);
      const value = decodeURIComponent(parts[2]!);
      const matches = [...this.data[type].values()].filter((r) => r[field.name] === value && r.IsDeleted !== true);
      if (matches.length === 0) throw new RequestError(404, "NOT_FOUND", "The requested resource does not exist");
      return send(200, this.shape(type, matches[0]!, url.searchParams.get("fields"), version));
    }
    if (parts.length !== 2) throw new RequestError(404, "NOT_FOUND", "The requested resource does not exist");
    const record = this.byId(type, parts[1]!);
    if (!record) throw new RequestError(404, "NOT_FOUND", "The requested resource does not exist");
    if (record.IsDeleted === true) throw new RequestError(404, "ENTITY_IS_DELETED", "entity is deleted");
    if (method === "GET") return send(200, this.shape(type, record, url.searchParams.get("fields"), version));
    if (method === "DELETE") {
      this.remove(type, String(record.Id));
      return this.answerWrite(answer, () => send(204));
    }
    if (method !== "PATCH") throw new RequestError(405, "METHOD_NOT_ALLOWED", `HTTP Method '${method}' not allowed. Allowed are GET,HEAD,PATCH,DELETE`);
    const changes = this.asRecord(this.parseBody(body));
    checkKnownFields(type, this.schema[type], changes);
    const errors = this.updateOne(type, record, changes);
    if (errors.length > 0) return send(400, errors.map((e) => ({ message: e.message, errorCode: e.errorCode, fields: e.fields })));
    this.answerWrite(answer, () => send(204));
  }

  /** `POST|PATCH /composite/sobjects`: up to 200 records (of up to 10 chunks of one type), each with its SaveResult. */
  private collections(method: string, body: string, answer: Answer): void {
    const { send } = answer;
    if (method !== "POST" && method !== "PATCH") throw new RequestError(405, "METHOD_NOT_ALLOWED", `HTTP Method '${method}' not allowed. Allowed are DELETE,GET,HEAD,PATCH,POST`);
    const parsed = this.parseBody(body) as { allOrNone?: unknown; records?: unknown };
    if (typeof parsed !== "object" || parsed === null || !Array.isArray(parsed.records)) throw new RequestError(400, "JSON_PARSER_ERROR", "records is required");
    const items = parsed.records as unknown[];
    if (items.length > 200) throw new RequestError(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
    const typed = items.map((item) => {
      const attributes = (item as { attributes?: { type?: unknown } } | null)?.attributes;
      if (typeof attributes?.type !== "string") throw new RequestError(400, "INVALID_TYPE", "Must send a concrete entity type.");
      const type = this.typeOf(attributes.type);
      const record = this.asRecord(item);
      checkKnownFields(type, this.schema[type], record);
      if (method === "POST" && record.Id !== undefined) throw new RequestError(400, "INVALID_FIELD", "Record ID: cannot specify Id in an insert call");
      return { type, record };
    });
    const chunks = typed.filter((t, i) => i === 0 || typed[i - 1]!.type !== t.type).length;
    if (chunks > 10) throw new RequestError(400, "INVALID_BATCH_REQUEST", "Cannot have more than 10 chunks in a single operation. Please rearrange the data to reduce chunking.");
    const allOrNone = parsed.allOrNone === true;
    const snapshot = allOrNone ? this.snapshot() : undefined;
    const results: SaveResult[] = typed.map(({ type, record }) => {
      if (method === "POST") return this.createOne(type, record);
      const id = typeof record.Id === "string" ? record.Id : "";
      const current = this.byId(type, id);
      if (!current) return { success: false, errors: [{ statusCode: "INVALID_CROSS_REFERENCE_KEY", message: "invalid cross reference id", fields: [] }] };
      if (current.IsDeleted === true) return { success: false, errors: [{ statusCode: "ENTITY_IS_DELETED", message: "entity is deleted", fields: [] }] };
      const { Id: _id, ...changes } = record;
      const errors = this.updateOne(type, current, changes);
      return errors.length === 0 ? { id: String(current.Id), success: true, errors: [] } : { success: false, errors: errors.map((e) => ({ statusCode: e.errorCode, message: e.message, fields: e.fields })) };
    });
    if (snapshot && results.some((r) => !r.success)) {
      this.restore(snapshot);
      const rolledBack = results.map((r): SaveResult => (r.success ? { success: false, errors: [{ statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK", message: "Record rolled back because not all records were valid and the request was using AllOrNone header", fields: [] }] } : r));
      return send(200, rolledBack);
    }
    this.answerWrite(answer, () => send(200, results));
  }

  /** Answers a write that was made, unless a fault says to leave the caller without an answer. */
  private answerWrite(answer: Answer, respond: () => void): void {
    if (this.hangsAfterWrite > 0) {
      this.hangsAfterWrite--;
      // The write stays made; the response never comes.
      return answer.hold();
    }
    respond();
  }

  private exists(id: string, to: SObjectType[]): "ok" | "missing" | "deleted" | "inactive" {
    for (const type of to) {
      const r = this.byId(type, id);
      if (!r) continue;
      if (r.IsDeleted === true) return "deleted";
      if (type === "User" && r.IsActive === false) return "inactive";
      return "ok";
    }
    return "missing";
  }

  private createOne(type: SObjectType, fields: SRecord): SaveResult {
    const defs = this.schema[type];
    const merged: SRecord = { ...Object.fromEntries(defs.filter((f) => f.defaultValue !== undefined).map((f) => [f.name, f.defaultValue!])), ...fields };
    const errors: RecordError[] = checkRecord(defs, fields, "create", merged, (id, to) => this.exists(id, to), this.rules[type] ?? []);
    if (type === "Event" && errors.length === 0) {
      if (merged.StartDateTime === undefined) errors.push({ errorCode: "REQUIRED_FIELD_MISSING", message: "Required fields are missing: [StartDateTime]", fields: ["StartDateTime"] });
      else if (merged.DurationInMinutes === undefined && merged.EndDateTime === undefined) errors.push({ errorCode: "REQUIRED_FIELD_MISSING", message: "Required fields are missing: [DurationInMinutes]", fields: ["DurationInMinutes"] });
    }
    if (errors.length === 0) {
      for (const f of defs.filter((d) => d.unique && merged[d.name] !== undefined && merged[d.name] !== null)) {
        const other = [...this.data[type].values()].find((r) => r[f.name] === merged[f.name]);
        if (other) errors.push({ errorCode: "DUPLICATE_VALUE", message: `duplicate value found: ${f.name} duplicates value on record with id: ${String(other.Id)}`, fields: [f.name] });
      }
    }
    if (errors.length > 0) return { success: false, errors: errors.map((e) => ({ statusCode: e.errorCode, message: e.message, fields: e.fields })) };
    const id = this.create(type, { ...merged, ...derived(type, merged) });
    return { id, success: true, errors: [] };
  }

  private updateOne(type: SObjectType, record: SRecord, changes: SRecord): RecordError[] {
    const merged = { ...record, ...changes };
    const errors = checkRecord(this.schema[type], changes, "update", merged, (id, to) => this.exists(id, to), this.rules[type] ?? []);
    if (errors.length === 0) this.update(type, String(record.Id), { ...changes, ...derived(type, merged) });
    return errors;
  }

  private snapshot(): Record<SObjectType, Map<string, SRecord>> {
    const out = {} as Record<SObjectType, Map<string, SRecord>>;
    for (const type of Object.keys(this.data) as SObjectType[]) out[type] = new Map([...this.data[type]].map(([id, r]) => [id, { ...r }]));
    return out;
  }

  private restore(snapshot: Record<SObjectType, Map<string, SRecord>>): void {
    for (const type of Object.keys(snapshot) as SObjectType[]) this.data[type] = snapshot[type];
  }

  /** A record as GET returns it: its attributes and the fields asked for (all when none). */
  private shape(type: SObjectType, record: SRecord, fields: string | null, version: string): Record<string, unknown> {
    const names = fields ? fields.split(",").map((f) => f.trim()) : this.schema[type].map((f) => f.name);
    for (const n of names) if (!this.schema[type].some((f) => f.name === n)) throw new RequestError(400, "INVALID_FIELD", `No such column '${n}' on sobject of type ${type}`);
    return { attributes: { type, url: `/services/data/v${version}/sobjects/${type}/${String(record.Id)}` }, ...Object.fromEntries(names.map((n) => [n, record[n] ?? null])) };
  }

  /** The object's describe, as far as a client checks it (the object's and each field's flags, picklists). */
  private describe(type: SObjectType): Record<string, unknown> {
    return {
      name: type,
      createable: true,
      updateable: true,
      deletable: true,
      queryable: true,
      fields: this.schema[type].map((f) => ({
        name: f.name,
        type: f.type,
        length: f.length ?? 0,
        createable: f.createable,
        updateable: f.updateable,
        nillable: !f.required,
        externalId: f.externalId === true,
        unique: f.unique === true,
        restrictedPicklist: f.restricted === true,
        picklistValues: (f.picklist ?? []).map((value) => ({ active: true, value, label: value, defaultValue: f.defaultValue === value })),
        referenceTo: f.referenceTo ?? [],
      })),
    };
  }

  private token(req: IncomingMessage, body: string, send: (s: number, p: unknown) => void): void {
    const form = new URLSearchParams(body);
    if (req.method !== "POST") return send(405, { error: "invalid_request", error_description: "must use HTTP POST" });
    if (form.get("grant_type") !== "client_credentials") return send(400, { error: "unsupported_grant_type", error_description: "grant type not supported" });
    if (form.get("client_id") !== this.clientId || form.get("client_secret") !== this.clientSecret) {
      return send(400, { error: "invalid_client", error_description: "invalid client credentials" });
    }
    const token = `${ORG_ID}!AQ${randomBytes(24).toString("base64url")}`;
    this.tokens.add(token);
    send(200, {
      access_token: token,
      signature: randomBytes(16).toString("base64"),
      scope: "api",
      instance_url: this.url,
      id: `${this.url}/id/${ORG_ID}AAA/0055g00000RUNASAAA`,
      token_type: "Bearer",
      issued_at: String(Date.now()),
    });
  }

  private select(q: ParsedQuery, all: boolean, version: string): SRecord[] {
    let rows = [...this.data[q.type].values()].filter((r) => all || r.IsDeleted !== true);
    if (q.emails) {
      const wanted = new Set(q.emails.values.map((e) => e.toLowerCase()));
      const activeOnly = q.emails.activeOnly;
      rows = rows.filter((r) => typeof r.Email === "string" && wanted.has(r.Email.toLowerCase()) && (!activeOnly || r.IsActive !== false));
    }
    if (q.since) {
      const { op, at } = q.since;
      rows = rows.filter((r) => {
        const t = new Date(String(r.SystemModstamp).replace(/\+0000$/, "Z")).getTime();
        return op === ">" ? t > at.getTime() : t >= at.getTime();
      });
    }
    // Same-format stamps and ids sort as plain strings (no locale rules: Salesforce orders by value).
    const cmp = (a: unknown, b: unknown) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
    if (q.ordered) rows.sort((a, b) => cmp(a.SystemModstamp, b.SystemModstamp) || cmp(a.Id, b.Id));
    if (q.limit !== null) rows = rows.slice(0, q.limit);
    const attributes = (type: SObjectType, id: unknown) => ({ type, url: `/services/data/v${version}/sobjects/${type}/${String(id)}` });
    // Shaped now, not per page: the answer is a snapshot taken when the query ran, as Salesforce's.
    return rows.map((r) => {
      const out: Record<string, unknown> = { attributes: attributes(q.type, r.Id) };
      for (const f of q.fields) {
        const [head, tail] = f.split(".");
        if (tail === undefined) {
          out[head!] = r[head!] ?? null;
          continue;
        }
        const lookup = LOOKUPS[head!]!;
        const target = this.data[lookup.type].get(String(r[lookup.field]));
        const existing = out[head!] as Record<string, unknown> | null | undefined;
        out[head!] = target ? { ...(existing ?? { attributes: attributes(lookup.type, target.Id) }), [tail]: target[tail] ?? null } : null;
      }
      return out as SRecord;
    });
  }

  private page(base: string, query: PendingQuery, send: (s: number, p: unknown) => void, offset = 0): void {
    const { pageSize } = query;
    const records = query.records.slice(offset, offset + pageSize);
    const next = offset + pageSize;
    const done = next >= query.records.length;
    let nextRecordsUrl: string | undefined;
    if (!done) {
      const locator = `01g${randomBytes(6).toString("hex")}-${next}`;
      this.pending.set(locator, query);
      nextRecordsUrl = `${base}/${locator}`;
    }
    send(200, { totalSize: query.records.length, done, ...(nextRecordsUrl ? { nextRecordsUrl } : {}), records });
  }

  private more(base: string, locator: string, send: (s: number, p: unknown) => void): void {
    const query = this.pending.get(locator);
    if (!query) return send(400, [{ message: "invalid query locator", errorCode: "INVALID_QUERY_LOCATOR" }]);
    this.pending.delete(locator);
    // The locator remembers where the next page starts and the first page's size.
    this.page(base, query, send, Number(locator.split("-")[1]));
  }
}
