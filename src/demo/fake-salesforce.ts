import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";

/**
 * A local Salesforce for tests, the demo and a newcomer trying the sync: a real HTTP server that
 * implements what the CRM pull uses, as the public REST API docs describe it.
 *
 * - `POST /services/oauth2/token` — OAuth 2.0 client-credentials flow (form-encoded
 *   `grant_type=client_credentials&client_id&client_secret`); a wrong id or secret is
 *   400 `invalid_client`.
 * - `GET /services/data/vNN.N/query?q=` and `/queryAll?q=` — a small SOQL subset: `SELECT <fields>
 *   FROM <Account|Opportunity|Contact|User> [WHERE SystemModstamp > <datetime>] [ORDER BY
 *   SystemModstamp, Id] [LIMIT n]`, with relationship fields such as `Owner.Email`. Datetimes are
 *   unquoted (a quoted one is `INVALID_FIELD`, as in Salesforce). `queryAll` also returns deleted
 *   records (`IsDeleted = true`). Pages of up to 2,000 records (`Sforce-Query-Options:
 *   batchSize=`), followed through `nextRecordsUrl` until `done`.
 * - Every response carries `Sforce-Limit-Info: api-usage=N/M`; errors are `[{ message, errorCode }]`.
 * - Fault injection: `fail()` answers the next matching requests with a status and error code
 *   (401 INVALID_SESSION_ID, 429, 403 REQUEST_LIMIT_EXCEEDED, …); `hang()` never answers them
 *   (a timeout); `revokeTokens()` expires every issued session.
 *
 * Records are changed through methods (`create`, `update`, `remove`) that bump SystemModstamp,
 * like a user editing in Salesforce.
 */

export type SObjectType = "Account" | "Opportunity" | "Contact" | "User";
export type SRecord = Record<string, string | number | boolean | null>;

export interface FakeSalesforceOptions {
  clientId?: string;
  clientSecret?: string;
  /** Largest page the server returns (Salesforce: 2,000). Tests use a small one to exercise paging. */
  maxPageSize?: number;
  /** The clock that stamps SystemModstamp. */
  now?: () => Date;
  /** The daily API budget reported in Sforce-Limit-Info. */
  apiLimit?: number;
  port?: number;
}

export interface Fault {
  /** Which requests: "token", "query" (first pages) or "more" (nextRecordsUrl pages); any when absent. */
  on?: "token" | "query" | "more";
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

const ID_PREFIX: Record<SObjectType, string> = { Account: "001", Opportunity: "006", Contact: "003", User: "005" };
const ORG_ID = "00D5g000004ORGA";

/** Fields each object has (the describe, as far as the sync needs it). */
const FIELDS: Record<SObjectType, string[]> = {
  Account: ["Id", "Name", "Industry", "AnnualRevenue", "OwnerId", "IsDeleted", "SystemModstamp", "LastModifiedDate", "CreatedDate"],
  Opportunity: ["Id", "Name", "AccountId", "Amount", "CloseDate", "StageName", "OwnerId", "IsDeleted", "SystemModstamp", "LastModifiedDate", "CreatedDate"],
  Contact: ["Id", "FirstName", "LastName", "Name", "Email", "Title", "Phone", "AccountId", "OwnerId", "IsDeleted", "SystemModstamp", "LastModifiedDate", "CreatedDate"],
  User: ["Id", "Name", "Email", "IsActive", "IsDeleted", "SystemModstamp", "LastModifiedDate", "CreatedDate"],
};
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
  ordered: boolean;
  limit: number | null;
}

const SOQL =
  /^SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+(.+?))?(?:\s+LIMIT\s+(\d+))?\s*$/i;

function parseSoql(q: string): ParsedQuery {
  const m = SOQL.exec(q.trim());
  if (!m) throw new SoqlError("MALFORMED_QUERY", `unexpected token in query: ${q.slice(0, 80)}`);
  const type = m[2]!;
  if (!(type in FIELDS)) throw new SoqlError("INVALID_TYPE", `sObject type '${type}' is not supported.`);
  const sobject = type as SObjectType;
  const fields = m[1]!.split(",").map((f) => f.trim());
  for (const f of fields) {
    const [head, tail] = f.split(".");
    const known = tail === undefined ? FIELDS[sobject].includes(head!) : LOOKUPS[head!] !== undefined && FIELDS[sobject].includes(LOOKUPS[head!]!.field) && FIELDS[LOOKUPS[head!]!.type].includes(tail);
    if (!known) throw new SoqlError("INVALID_FIELD", `No such column '${f}' on entity '${sobject}'.`);
  }
  let since: ParsedQuery["since"] = null;
  if (m[3] !== undefined) {
    const w = /^SystemModstamp\s*(>=|>)\s*(\S+)$/i.exec(m[3].trim());
    if (!w) throw new SoqlError("MALFORMED_QUERY", `unsupported WHERE clause: ${m[3]}`);
    const literal = w[2]!;
    if (/^['"]/.test(literal)) {
      throw new SoqlError("INVALID_FIELD", "value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes");
    }
    const at = new Date(literal);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(literal) || Number.isNaN(at.getTime())) {
      throw new SoqlError("INVALID_FIELD", `line 1: value of filter criterion for field 'SystemModstamp' must be of type dateTime: ${literal}`);
    }
    since = { op: w[1] as ">" | ">=", at };
  }
  const order = m[4]?.replace(/\s+/g, " ").trim();
  if (order !== undefined && !/^SystemModstamp( ASC)?, ?Id( ASC)?$/i.test(order)) throw new SoqlError("MALFORMED_QUERY", `unsupported ORDER BY: ${order}`);
  return { fields, type: sobject, since, ordered: order !== undefined, limit: m[5] === undefined ? null : Number(m[5]) };
}

export class FakeSalesforce {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Every request, in order (method and path without the query string). */
  readonly requests: { method: string; path: string; status: number }[] = [];
  private readonly data: Record<SObjectType, Map<string, SRecord>> = { Account: new Map(), Opportunity: new Map(), Contact: new Map(), User: new Map() };
  private readonly tokens = new Set<string>();
  private readonly pending = new Map<string, PendingQuery>();
  private readonly faults: (Fault & { left: number })[] = [];
  private hangs: { on?: Fault["on"]; left: number }[] = [];
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

  /** Deletes a record for good (emptied from the Recycle Bin, or older than its 15 days): not even `queryAll` has it. */
  purge(type: SObjectType, id: string): void {
    this.get(type, id);
    this.data[type].delete(id);
  }

  /** A record by id, or by Name (case-insensitive; the first one). */
  find(type: SObjectType, idOrName: string): SRecord | undefined {
    const byId = this.data[type].get(idOrName);
    if (byId) return byId;
    const key = idOrName.toLowerCase();
    return [...this.data[type].values()].find((r) => typeof r.Name === "string" && r.Name.toLowerCase() === key);
  }

  /** Every live record of a type, oldest first. */
  list(type: SObjectType): SRecord[] {
    return [...this.data[type].values()].filter((r) => r.IsDeleted !== true);
  }

  get(type: SObjectType, id: string): SRecord {
    const record = this.data[type].get(id);
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

  /** The next `times` matching requests get no answer at all (until `stop`). */
  hang(on?: Fault["on"], times = 1): void {
    this.hangs.push({ on, left: times });
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
    const body = await new Promise<string>((resolve) => {
      let text = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => (text += c));
      req.on("end", () => resolve(text));
    });
    const kind: Fault["on"] = url.pathname === "/services/oauth2/token" ? "token" : /\/query(All)?\/[^/]+$/.test(url.pathname) ? "more" : "query";
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method: req.method ?? "GET", path: url.pathname, status });
      if (kind !== "token") this.apiUsage++;
      res.writeHead(status, {
        "content-type": "application/json;charset=UTF-8",
        "sforce-limit-info": `api-usage=${this.apiUsage}/${this.opts.apiLimit ?? 15000}`,
        ...headers,
      });
      res.end(JSON.stringify(payload));
    };
    const hang = this.hangs.find((h) => h.left > 0 && (h.on === undefined || h.on === kind));
    if (hang) {
      hang.left--;
      this.requests.push({ method: req.method ?? "GET", path: url.pathname, status: 0 });
      this.hung.push(res);
      return;
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
    const route = /^\/services\/data\/v(\d+\.\d)\/(query|queryAll)(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (!route || req.method !== "GET") {
      return send(404, [{ message: "The requested resource does not exist", errorCode: "NOT_FOUND" }]);
    }
    const [, version, endpoint, locator] = route;
    if (locator !== undefined) return this.more(`/services/data/v${version}/${endpoint}`, locator, send);
    const q = url.searchParams.get("q");
    if (!q) return send(400, [{ message: "A query string has to be specified", errorCode: "MALFORMED_QUERY" }]);
    let parsed: ParsedQuery;
    try {
      parsed = parseSoql(q);
    } catch (error) {
      if (error instanceof SoqlError) return send(400, [{ message: error.message, errorCode: error.errorCode }]);
      throw error;
    }
    if (this.hidden.has(parsed.type)) {
      return send(400, [{ message: `sObject type '${parsed.type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`, errorCode: "INVALID_TYPE" }]);
    }
    const batch = /batchSize=(\d+)/i.exec(String(req.headers["sforce-query-options"] ?? ""));
    const pageSize = Math.min(this.maxPageSize, batch ? Number(batch[1]) : 2000);
    const records = this.select(parsed, endpoint === "queryAll", version!);
    this.page(`/services/data/v${version}/${endpoint}`, { type: parsed.type, records, pageSize }, send);
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
