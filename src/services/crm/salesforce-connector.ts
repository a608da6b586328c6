import jsforce from "@jsforce/jsforce-node";
import { externalIdOf } from "../../domain/crm-import.js";
import {
  CrmAuthError,
  CrmError,
  CrmRateLimitError,
  type CrmAccount,
  type CrmCheck,
  type CrmConnector,
  type CrmContact,
  type CrmDeal,
  type CrmObject,
  type CrmPage,
  type CrmRecords,
} from "./crm-connector.js";

/**
 * Salesforce through `@jsforce/jsforce-node`: the OAuth 2.0 client-credentials flow of a Connected
 * App (its run-as user's permissions apply), REST `queryAll` (deleted records included) in
 * SystemModstamp order, pages followed through `nextRecordsUrl`.
 *
 * jsforce cannot renew a client-credentials session by itself, so `refreshFn` logs in again. A
 * session refused right after a fresh login is not retried again: that is a broken connection.
 * jsforce itself retries a GET that gets 429 or 5xx (with exponential backoff, up to 5 times).
 */

export interface SalesforceConnectorOptions {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  /** REST API version (v62.0 = Winter '25). */
  apiVersion?: string;
  /** Longest wait for one HTTP answer before the pass fails (default 2 minutes). */
  requestTimeoutMs?: number;
  /** Records per page asked for (Sforce-Query-Options batchSize, 200–2,000). */
  batchSize?: number;
  /** Every access token issued, so the logger can redact it. */
  onSecret?: (secret: string) => void;
}

/** The external id field the push writes its keys to (README → Connect Salesforce). */
export const SALESFORCE_EXTERNAL_ID_FIELD = "AE_Assistant_Id__c";

const SOQL: Record<CrmObject, { type: string; fields: string }> = {
  accounts: { type: "Account", fields: "Id, Name, Industry, AnnualRevenue, OwnerId, Owner.Email, IsDeleted, SystemModstamp" },
  deals: { type: "Opportunity", fields: "Id, Name, AccountId, Amount, CloseDate, StageName, OwnerId, Owner.Email, IsDeleted, SystemModstamp" },
  contacts: { type: "Contact", fields: "Id, FirstName, LastName, Name, Email, Title, Phone, AccountId, IsDeleted, SystemModstamp" },
};

/** The objects the sync reads, for doctor: each must be queryable by the run-as user. */
const REQUIRED_OBJECTS = [
  { type: "Account", why: "accounts" },
  { type: "Opportunity", why: "deals" },
  { type: "Contact", why: "contacts" },
  { type: "User", why: "owners' emails" },
];

type SfRecord = Record<string, unknown>;
interface QueryResult {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: SfRecord[];
}

const AUTH_ERRORS = new Set(["invalid_client", "invalid_client_id", "invalid_grant", "unsupported_grant_type", "invalid_request", "INVALID_SESSION_ID"]);

/** A SOQL datetime literal: unquoted, whole seconds, UTC. */
export function soqlDateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Salesforce writes `+0000`; Date wants `+00:00`. */
function parseSfDate(value: unknown): Date {
  const d = new Date(String(value).replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  if (Number.isNaN(d.getTime())) throw new CrmError(`Salesforce sent an unreadable SystemModstamp: ${String(value)}`, "BAD_RESPONSE");
  return d;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function cents(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? Math.round(value * 100) : null;
}

function ownerEmail(r: SfRecord): string | null {
  const owner = r.Owner as { Email?: unknown } | null | undefined;
  return text(owner?.Email)?.toLowerCase() ?? null;
}

function sfId(value: unknown): string | null {
  const id = text(value);
  return id === null ? null : externalIdOf("salesforce", id);
}

/** What every record has: its id, its SystemModstamp, and whether it is in the Recycle Bin. */
function base(r: SfRecord): { externalId: string; modifiedAt: Date; deleted: boolean } {
  return { externalId: sfId(r.Id) as string, modifiedAt: parseSfDate(r.SystemModstamp), deleted: r.IsDeleted === true };
}

const MAPPERS: { [O in CrmObject]: (r: SfRecord) => CrmRecords[O] } = {
  accounts: (r): CrmAccount => ({
    ...base(r),
    name: text(r.Name) ?? "(no name)",
    industry: text(r.Industry),
    annualRevenueCents: cents(r.AnnualRevenue),
    ownerEmail: ownerEmail(r),
  }),
  deals: (r): CrmDeal => ({
    ...base(r),
    pushKey: text(r[SALESFORCE_EXTERNAL_ID_FIELD]),
    title: text(r.Name),
    accountExternalId: sfId(r.AccountId),
    amountCents: cents(r.Amount),
    closeDate: text(r.CloseDate),
    stage: text(r.StageName),
    ownerEmail: ownerEmail(r),
  }),
  contacts: (r): CrmContact => ({
    ...base(r),
    name: text(r.Name) ?? ([text(r.FirstName), text(r.LastName)].filter((v) => v !== null).join(" ") || "(no name)"),
    accountExternalId: sfId(r.AccountId),
    email: text(r.Email)?.toLowerCase() ?? null,
    title: text(r.Title),
    phone: text(r.Phone),
  }),
};

export class SalesforceConnector implements CrmConnector {
  readonly provider = "salesforce" as const;
  private readonly conn: InstanceType<typeof jsforce.Connection>;
  private readonly version: string;
  private loggedIn = false;
  /** Fresh logins since the last answered request: a second one in a row means the session is refused. */
  private refreshesWithoutSuccess = 0;
  private authFailure: CrmAuthError | undefined;

  constructor(private readonly opts: SalesforceConnectorOptions) {
    this.version = opts.apiVersion ?? "62.0";
    this.conn = new jsforce.Connection({
      loginUrl: opts.loginUrl,
      version: this.version,
      oauth2: { loginUrl: opts.loginUrl, clientId: opts.clientId, clientSecret: opts.clientSecret },
      refreshFn: (conn, callback) => {
        if (this.refreshesWithoutSuccess >= 1) {
          this.authFailure = new CrmAuthError("Salesforce refused the session again right after a fresh login (INVALID_SESSION_ID)", "INVALID_SESSION_ID");
          callback(this.authFailure);
          return;
        }
        this.refreshesWithoutSuccess++;
        conn.oauth2.requestToken({ grant_type: "client_credentials" }).then(
          (res) => {
            this.opts.onSecret?.(res.access_token);
            callback(null, res.access_token, res);
          },
          (error: unknown) => {
            this.authFailure = this.translate(error) as CrmAuthError;
            callback(this.authFailure);
          },
        );
      },
    });
  }

  private async login(): Promise<void> {
    if (this.loggedIn) return;
    try {
      await this.withTimeout(this.conn.authorize({ grant_type: "client_credentials" }));
    } catch (error) {
      throw this.translate(error);
    }
    if (this.conn.accessToken) this.opts.onSecret?.(this.conn.accessToken);
    this.loggedIn = true;
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    const ms = this.opts.requestTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CrmError(`Salesforce did not answer within ${Math.round(ms / 1000)} s`, "TIMEOUT")), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** One GET of a query page. */
  private get(url: string): Promise<QueryResult> {
    return this.call<QueryResult>({ method: "GET", url, headers: { "Sforce-Query-Options": `batchSize=${this.opts.batchSize ?? 2000}` } });
  }

  /** `/services/data/vNN.N/<rest>`. */
  apiPath(rest: string): string {
    return `/services/data/v${this.version}/${rest}`;
  }

  /**
   * One REST call through jsforce (session header, 401 → refresh once, retries of GETs on 429 and
   * 5xx), with our timeout; a JSON body is sent as such. Failures come back translated (CrmError).
   * The writer (salesforce-writer.ts) makes its calls through here, so pull and push share one
   * session and one login.
   */
  async call<T>(req: { method: "GET" | "POST" | "PATCH" | "DELETE"; url: string; body?: unknown; headers?: Record<string, string> }): Promise<T> {
    await this.login();
    try {
      const body = req.body === undefined ? undefined : JSON.stringify(req.body);
      const headers = { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...req.headers };
      const result = await this.withTimeout(Promise.resolve(this.conn.request<T>({ method: req.method, url: req.url, headers, ...(body === undefined ? {} : { body }) })));
      this.refreshesWithoutSuccess = 0;
      return result;
    } catch (error) {
      throw this.translate(error);
    }
  }

  private translate(error: unknown): CrmError {
    if (error instanceof CrmError) return error;
    if (this.authFailure) {
      const failure = this.authFailure;
      this.authFailure = undefined;
      // The next pass starts with a fresh login (and may refresh once again).
      this.loggedIn = false;
      this.refreshesWithoutSuccess = 0;
      return failure;
    }
    const e = (typeof error === "object" && error !== null ? error : {}) as { name?: unknown; errorCode?: unknown; message?: unknown; data?: unknown };
    let code = typeof e.errorCode === "string" ? e.errorCode : typeof e.name === "string" ? e.name : "ERROR";
    let message = typeof e.message === "string" && e.message !== "" ? e.message : String(error);
    // Several errors in one answer (a record breaking two rules): jsforce keeps them in `data`.
    if (code === "MULTIPLE_API_ERRORS" && Array.isArray(e.data)) {
      const all = (e.data as { errorCode?: unknown; message?: unknown }[]).filter((d) => typeof d.errorCode === "string");
      if (all.length > 0) {
        code = String(all[0]!.errorCode);
        message = all.map((d) => String(d.message)).join("; ");
      }
    }
    if (AUTH_ERRORS.has(code)) {
      this.loggedIn = false;
      return new CrmAuthError(`Salesforce refused the login: ${message} (${code})`, code);
    }
    if (code === "REQUEST_LIMIT_EXCEEDED" || code === "ERROR_HTTP_429") return new CrmRateLimitError(`Salesforce: ${message} (${code})`, code);
    return new CrmError(`Salesforce: ${message} (${code})`, code, message);
  }

  async *pull<O extends CrmObject>(object: O, since: Date | null): AsyncIterable<CrmPage<O>> {
    const { type } = SOQL[object];
    const fields = object === "deals" ? await this.dealFields() : SOQL[object].fields;
    const where = since === null ? "" : ` WHERE SystemModstamp >= ${soqlDateTime(since)}`;
    const soql = `SELECT ${fields} FROM ${type}${where} ORDER BY SystemModstamp, Id`;
    let page = await this.get(`/services/data/v${this.version}/queryAll?q=${encodeURIComponent(soql)}`);
    const map = MAPPERS[object];
    for (;;) {
      yield { records: page.records.map(map), total: page.totalSize };
      if (page.done || !page.nextRecordsUrl) return;
      page = await this.get(page.nextRecordsUrl);
    }
  }

  private opportunityFields: Promise<string> | undefined;

  /**
   * The opportunity fields to read: with the push's external id field when the org has it (looked
   * up once: an org without it must still be pulled, and SOQL refuses an unknown field).
   */
  private dealFields(): Promise<string> {
    this.opportunityFields ??= this.call<{ fields?: { name?: unknown }[] }>({ method: "GET", url: this.apiPath("sobjects/Opportunity/describe") }).then(
      (d) => (d.fields?.some((f) => f.name === SALESFORCE_EXTERNAL_ID_FIELD) ? `${SOQL.deals.fields}, ${SALESFORCE_EXTERNAL_ID_FIELD}` : SOQL.deals.fields),
      (error: unknown) => {
        this.opportunityFields = undefined;
        throw error;
      },
    );
    return this.opportunityFields;
  }

  /** Every live record's id (`query`, not `queryAll`: the Recycle Bin is left out), 2,000 a page. */
  async *liveIds(object: CrmObject): AsyncIterable<string[]> {
    let page = await this.get(`/services/data/v${this.version}/query?q=${encodeURIComponent(`SELECT Id FROM ${SOQL[object].type}`)}`);
    for (;;) {
      yield page.records.flatMap((r) => sfId(r.Id) ?? []);
      if (page.done || !page.nextRecordsUrl) return;
      page = await this.get(page.nextRecordsUrl);
    }
  }

  async check(): Promise<CrmCheck[]> {
    try {
      await this.login();
    } catch (error) {
      const e = this.translate(error);
      return [{ ok: false, text: `Salesforce login at ${this.opts.loginUrl} failed: ${e.message}. Check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (the Connected App's consumer key and secret), that the app has "Enable Client Credentials Flow" and a run-as user, and SALESFORCE_LOGIN_URL (your My Domain for client credentials).` }];
    }
    const checks: CrmCheck[] = [{ ok: true, text: `Salesforce login works (client credentials, instance ${this.conn.instanceUrl})` }];
    for (const { type, why } of REQUIRED_OBJECTS) {
      try {
        await this.get(`/services/data/v${this.version}/query?q=${encodeURIComponent(`SELECT Id FROM ${type} LIMIT 1`)}`);
        checks.push({ ok: true, text: `Salesforce: the run-as user can read ${type} (${why})` });
      } catch (error) {
        const e = this.translate(error);
        checks.push({ ok: false, text: `Salesforce: the run-as user cannot read ${type} (${why}): ${e.message}. Give the run-as user's profile or a permission set "Read" on ${type} and the "API Enabled" permission.` });
      }
    }
    return checks;
  }
}
