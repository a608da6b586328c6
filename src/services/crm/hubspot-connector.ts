import { Client } from "@hubspot/api-client";
import { z } from "zod";
import { externalIdOf } from "../../domain/crm-import.js";
import { mapStage, type StageMap } from "../../domain/crm-sync.js";
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
 * HubSpot through `@hubspot/api-client` (a private app's token; `basePath` for the fake):
 * companies, deals and contacts by the CRM search API in last-modified order, owners by
 * `/crm/v3/owners`, a deal's company by the v4 associations API, deletions from the archived
 * listing.
 *
 * Requests go through the client's `apiRequest` (its auth header, base path and user agent) and
 * their answers are parsed here with zod, not through the generated typed APIs: their model types
 * `sorts` as strings (HubSpot/hubspot-api-nodejs#559) and drops `policyName` from a 429's body,
 * which tells a per-second limit (wait a second) from the daily one (stop for the day).
 *
 * Paging the search: every page is its own query "modified ≥ the last timestamp read", sorted by
 * it, with the records already read at that timestamp skipped. Paging a single query with `after`
 * would be simpler, but `after` is an offset: a record edited during the pass moves to the end and
 * every later record shifts one place back, so one is never read; and a query stops at 10,000
 * results (400). Records that share one timestamp beyond a page (a bulk import) are read by id.
 *
 * Pace: HubSpot allows about 5 search requests per second per account (shared by every app) and a
 * 10-second and a daily budget for the rest, reported in `X-HubSpot-RateLimit-*`. Searches are
 * spaced (`searchIntervalMs`); an exhausted window is waited out; a 429 SECONDLY or
 * TEN_SECONDLY_ROLLING waits its `Retry-After` (or the window) and retries a few times, then the
 * pass stops with CrmRateLimitError, as it does at once on DAILY. The client's own retry is not
 * used: it waits a fixed second and ignores Retry-After.
 *
 * A private-app token cannot be refreshed: a 401 is a broken connection at once, and a 403
 * MISSING_SCOPES too (someone must add the scope in HubSpot).
 */

export interface HubSpotConnectorOptions {
  apiUrl: string;
  accessToken: string;
  /** Only for `doctor`: the stages of every pipeline are checked against it. */
  stageMap?: StageMap;
  /** Longest wait for one HTTP answer before the pass fails (default 2 minutes). */
  requestTimeoutMs?: number;
  /** Records per search page (HubSpot: at most 200). */
  pageSize?: number;
  /** Least time between two search requests (default 250 ms: 4 per second, under HubSpot's 5). */
  searchIntervalMs?: number;
  /** How often a per-second or 10-second 429 is waited out before the pass gives up (default 3). */
  rateLimitRetries?: number;
  /** Longest single wait for a rate-limit window before the pass gives up instead (default 30 s). */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds clock for the pace (default Date.now). */
  clock?: () => number;
}

/** Read scopes the pull needs, and what for (doctor names the missing ones). */
export const HUBSPOT_READ_SCOPES = [
  { scope: "crm.objects.companies.read", why: "companies" },
  { scope: "crm.objects.deals.read", why: "deals, their companies and the pipelines" },
  { scope: "crm.objects.contacts.read", why: "contacts" },
  { scope: "crm.objects.owners.read", why: "owners' emails" },
] as const;

type HsType = "companies" | "deals" | "contacts";
const TYPE: Record<CrmObject, HsType> = { accounts: "companies", deals: "deals", contacts: "contacts" };

/** The last-modified property: contacts have their own name for it. */
function modifiedProperty(type: HsType): string {
  return type === "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate";
}

/**
 * The custom property the push writes its key to (README → Connect HubSpot). The pull reads it on
 * deals (HubSpot leaves out a property the account does not have), so a deal the push made but
 * could not record is recognised as ours.
 */
export const HUBSPOT_KEY_PROPERTY = "ae_assistant_id";

const PROPERTIES: Record<HsType, string[]> = {
  companies: ["name", "domain", "industry", "annualrevenue", "hubspot_owner_id", "hs_lastmodifieddate"],
  deals: ["dealname", "amount", "closedate", "dealstage", "pipeline", "hubspot_owner_id", "hs_lastmodifieddate", HUBSPOT_KEY_PROPERTY],
  contacts: ["firstname", "lastname", "email", "jobtitle", "phone", "associatedcompanyid", "lastmodifieddate"],
};

const props = z.record(z.string(), z.string().nullable().optional());
export const hsObject = z.object({ id: z.string(), properties: props, archived: z.boolean().optional(), archivedAt: z.string().optional(), updatedAt: z.string().optional() });
type HsObject = z.infer<typeof hsObject>;
const paging = z.object({ next: z.object({ after: z.string() }).optional() }).optional();
export const searchAnswer = z.object({ total: z.number(), results: z.array(hsObject), paging });
const listAnswer = z.object({ results: z.array(hsObject), paging });
export const ownersAnswer = z.object({ results: z.array(z.object({ id: z.string(), email: z.string().nullable().optional() })), paging });
const associationsAnswer = z.object({
  results: z.array(
    z.object({
      from: z.object({ id: z.union([z.string(), z.number()]) }),
      to: z.array(z.object({ toObjectId: z.union([z.string(), z.number()]), associationTypes: z.array(z.object({ typeId: z.number(), label: z.string().nullable().optional() })) })),
    }),
  ),
});
export const pipelinesAnswer = z.object({ results: z.array(z.object({ id: z.string(), label: z.string(), stages: z.array(z.object({ id: z.string(), label: z.string() })) })) });
const errorBody = z
  .object({
    message: z.string().optional(),
    category: z.string().optional(),
    policyName: z.string().optional(),
    correlationId: z.string().optional(),
    errors: z.array(z.object({ message: z.string().optional(), code: z.string().optional(), context: z.record(z.string(), z.array(z.string())).optional() })).optional(),
  })
  .partial();

/** One of the problems HubSpot lists in an error (`errors[]`): its code and the properties it names. */
export interface HubSpotErrorDetail {
  code: string | null;
  message: string;
  properties: string[];
}

/**
 * HubSpot refused a request (not the token, not a rate limit): its `category` is the code
 * (VALIDATION_ERROR, CONFLICT, OBJECT_NOT_FOUND …), `crmMessage` its words without the JSON it
 * sometimes embeds, `details` what it lists per problem.
 */
export class HubSpotRequestError extends CrmError {
  override name = "HubSpotRequestError";
  constructor(
    message: string,
    code: string,
    crmMessage: string,
    readonly status: number,
    readonly details: HubSpotErrorDetail[],
  ) {
    super(message, code, crmMessage);
  }

  /** The properties HubSpot named. */
  get properties(): string[] {
    return [...new Set(this.details.flatMap((d) => d.properties))];
  }
}

/** The primary deal→company association (HubSpot's AssociationTypes.primaryDealToCompany). */
const PRIMARY_DEAL_TO_COMPANY = 5;

/** A scope HubSpot says the call needs and the app lacks: broken until someone adds it. */
export class CrmMissingScopesError extends CrmAuthError {
  override name = "CrmMissingScopesError";
  constructor(
    message: string,
    readonly scopes: string[],
  ) {
    super(message, "MISSING_SCOPES");
  }
}

export function text(value: string | null | undefined): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

/** HubSpot numbers are strings ("5000", "1250000.5"). */
export function cents(value: string | null | undefined): number | null {
  const t = text(value);
  if (t === null) return null;
  const n = Number(t);
  return Number.isFinite(n) ? Math.round(n * 100) : null;
}

/** Datetimes come as ISO strings (or epoch milliseconds, as filters take them). */
export function instant(value: string | null | undefined): number | null {
  const t = text(value);
  if (t === null) return null;
  const ms = /^\d+$/.test(t) ? Number(t) : Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

/** HubSpot's industry options are internal values (COMPUTER_SOFTWARE): shown as words. */
function industryLabel(value: string | null | undefined): string | null {
  const t = text(value);
  if (t === null || !/^[A-Z0-9_]+$/.test(t)) return t;
  const words = t.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function hsId(value: string | number | null | undefined): string | null {
  const id = value === null || value === undefined ? null : text(String(value));
  return id === null ? null : externalIdOf("hubspot", id);
}

export class HubSpotConnector implements CrmConnector {
  readonly provider = "hubspot" as const;
  private readonly client: Client;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: () => number;
  private nextSearchAt = 0;
  private nextRequestAt = 0;

  constructor(private readonly opts: HubSpotConnectorOptions) {
    // No limiterOptions and no numberOfApiCallRetries: the pace is ours (see above).
    this.client = new Client({ accessToken: opts.accessToken, basePath: opts.apiUrl });
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.clock = opts.clock ?? Date.now;
  }

  private get pageSize(): number {
    return Math.min(200, this.opts.pageSize ?? 200);
  }

  private async withTimeout<T>(promise: Promise<T>): Promise<T> {
    const ms = this.opts.requestTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CrmError(`HubSpot did not answer within ${Math.round(ms / 1000)} s`, "TIMEOUT")), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** Waits until `at` (ms on the pace's clock). */
  private waitUntil(at: number, why: string): Promise<void> {
    return this.waitFor(at - this.clock(), why);
  }

  /** Waits `ms`, or fails when that is longer than a pass should wait. */
  private async waitFor(ms: number, why: string): Promise<void> {
    if (ms <= 0) return;
    // Longer than a pass should wait: the whole connection backs off at least that long instead.
    if (ms > (this.opts.maxWaitMs ?? 30_000)) throw new CrmRateLimitError(`HubSpot: ${why}; not waiting ${Math.ceil(ms / 1000)} s within a pass`, "RATE_LIMIT", ms);
    await this.sleep(ms);
  }

  /**
   * One API call: paced, timed out, retried on a short 429 (HubSpot did nothing with it), and on a
   * 5xx only when it is a read (`write`: a create that failed with a 5xx may have been made; the
   * push's queue retries it, looking for it first), and every failure translated into a CrmError.
   * The writer (hubspot-writer.ts) makes its calls through here: one client, one pace.
   */
  async call(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    opts: { qs?: Record<string, string>; body?: unknown; search?: boolean; write?: boolean } = {},
  ): Promise<unknown> {
    const retries = this.opts.rateLimitRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      await this.waitUntil(this.nextRequestAt, "the 10-second request budget is spent");
      if (opts.search) {
        await this.waitUntil(this.nextSearchAt, "search pace");
        this.nextSearchAt = this.clock() + (this.opts.searchIntervalMs ?? 250);
      }
      let status: number;
      let headers: Headers;
      let raw: string;
      try {
        ({ status, headers, raw } = await this.withTimeout(
          this.client.apiRequest({ method, path, qs: opts.qs, body: opts.body }).then(async (res) => ({ status: res.status, headers: res.headers, raw: await res.text() })),
        ));
      } catch (error) {
        if (error instanceof CrmError) throw error;
        throw new CrmError(`HubSpot could not be reached at ${this.opts.apiUrl}: ${error instanceof Error ? error.message : String(error)}`, "NETWORK");
      }
      this.notePace(headers);
      if (status >= 200 && status < 300) return raw === "" ? null : (JSON.parse(raw) as unknown);
      const body = errorBody.safeParse(safeJson(raw));
      const e = body.success ? body.data : {};
      const detail = `${e.message ?? `HTTP ${status}`} (${e.category ?? status}${e.correlationId ? `, correlationId ${e.correlationId}` : ""})`;
      if (status === 401) {
        throw new CrmAuthError(`HubSpot refused the private app's token: ${detail}. A private-app token cannot be refreshed: copy the app's current token into HUBSPOT_ACCESS_TOKEN`, "INVALID_AUTHENTICATION");
      }
      if (status === 403 && e.category === "MISSING_SCOPES") {
        const scopes = [...new Set((e.errors ?? []).flatMap((x) => x.context?.requiredGranularScopes ?? x.context?.requiredScopes ?? []))];
        throw new CrmMissingScopesError(`HubSpot: the private app lacks the scope${scopes.length === 1 ? "" : "s"} ${scopes.join(", ") || "(not named)"} for ${path}`, scopes);
      }
      if (status === 429) {
        const policy = e.policyName ?? (headers.get("x-hubspot-ratelimit-daily-remaining") === "0" ? "DAILY" : "SECONDLY");
        if (policy === "DAILY") {
          throw new CrmRateLimitError(`HubSpot: the account's daily API limit is spent (${detail}); pulls resume when it resets`, "DAILY", 60 * 60_000);
        }
        const retryAfter = Number(headers.get("retry-after"));
        const waitMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : policy === "SECONDLY" ? 1_000 : Number(headers.get("x-hubspot-ratelimit-interval-milliseconds")) || 10_000;
        if (attempt < retries) {
          await this.waitFor(waitMs, `rate limited (${policy})`);
          // That wait was the window's: the exhausted-budget wait noted from this answer is served.
          this.nextRequestAt = 0;
          continue;
        }
        throw new CrmRateLimitError(`HubSpot: rate limited ${attempt + 1} times in a row (${policy}: ${detail})`, policy, waitMs);
      }
      if (status >= 500 && attempt < 2 && !opts.write) {
        await this.sleep(500 * (attempt + 1));
        continue;
      }
      const details = (e.errors ?? []).map((x) => ({ code: x.code ?? null, message: x.message ?? "", properties: x.context?.propertyName ?? [] }));
      const said = details.map((d) => d.message).filter((m) => m !== "");
      throw new HubSpotRequestError(`HubSpot: ${detail}`, e.category ?? `HTTP_${status}`, said.length > 0 ? said.join("; ") : (e.message ?? `HTTP ${status}`), status, details);
    }
  }

  /** An exhausted 10-second window is waited out before the next request (search answers carry no headers). */
  private notePace(headers: Headers): void {
    const remaining = headers.get("x-hubspot-ratelimit-remaining");
    if (remaining === null) return;
    const interval = Number(headers.get("x-hubspot-ratelimit-interval-milliseconds")) || 10_000;
    if (Number(remaining) <= 1) this.nextRequestAt = this.clock() + interval;
  }

  private parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    return parseAnswer(schema, value, what);
  }

  /** Owner id → lowercased email, active and deactivated owners (records keep a deactivated owner). */
  private async owners(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const archived of ["false", "true"]) {
      let after: string | undefined;
      do {
        const page = this.parse(ownersAnswer, await this.call("GET", "/crm/v3/owners", { qs: { limit: "500", archived, ...(after ? { after } : {}) } }), "owners");
        for (const o of page.results) {
          const email = text(o.email)?.toLowerCase();
          if (email && !out.has(o.id)) out.set(o.id, email);
        }
        after = page.paging?.next?.after;
      } while (after);
    }
    return out;
  }

  /** Each deal's company: the primary one, else the first associated. */
  private async dealCompanies(ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const answer = this.parse(associationsAnswer, await this.call("POST", "/crm/v4/associations/deals/companies/batch/read", { body: { inputs: ids.map((id) => ({ id })) } }), "deal associations");
    for (const r of answer.results) {
      const primary = r.to.find((t) => t.associationTypes.some((a) => a.typeId === PRIMARY_DEAL_TO_COMPANY)) ?? r.to[0];
      if (primary) out.set(String(r.from.id), String(primary.toObjectId));
    }
    return out;
  }

  private base(o: HsObject, type: HsType, deleted: boolean): { externalId: string; modifiedAt: Date; deleted: boolean } {
    const at = deleted ? (instant(o.archivedAt) ?? instant(o.properties[modifiedProperty(type)]) ?? instant(o.updatedAt)) : instant(o.properties[modifiedProperty(type)]);
    if (at === null) throw new CrmError(`HubSpot sent ${type} ${o.id} without a readable ${modifiedProperty(type)}`, "BAD_RESPONSE");
    return { externalId: externalIdOf("hubspot", o.id), modifiedAt: new Date(at), deleted };
  }

  private map<O extends CrmObject>(object: O, results: HsObject[], deleted: boolean, owners: Map<string, string>): Promise<CrmRecords[O][]> {
    const owner = (o: HsObject) => {
      const id = text(o.properties.hubspot_owner_id);
      return id === null ? null : (owners.get(id) ?? null);
    };
    const mappers: { [K in CrmObject]: () => Promise<CrmRecords[K][]> } = {
      accounts: async () =>
        results.map(
          (o): CrmAccount => ({
            ...this.base(o, "companies", deleted),
            name: text(o.properties.name) ?? text(o.properties.domain) ?? "(no name)",
            industry: industryLabel(o.properties.industry),
            annualRevenueCents: cents(o.properties.annualrevenue),
            ownerEmail: owner(o),
          }),
        ),
      deals: async () => {
        const companies = deleted ? new Map<string, string>() : await this.dealCompanies(results.map((o) => o.id));
        return results.map((o): CrmDeal => {
          const close = instant(o.properties.closedate);
          return {
            ...this.base(o, "deals", deleted),
            pushKey: text(o.properties[HUBSPOT_KEY_PROPERTY]),
            title: text(o.properties.dealname),
            accountExternalId: hsId(companies.get(o.id)),
            amountCents: cents(o.properties.amount),
            // A datetime in HubSpot; our close date is a calendar date: its UTC date.
            closeDate: close === null ? null : new Date(close).toISOString().slice(0, 10),
            stage: text(o.properties.dealstage),
            pipeline: text(o.properties.pipeline),
            ownerEmail: owner(o),
          };
        });
      },
      contacts: async () =>
        results.map(
          (o): CrmContact => ({
            ...this.base(o, "contacts", deleted),
            name: [text(o.properties.firstname), text(o.properties.lastname)].filter((v) => v !== null).join(" ") || (text(o.properties.email) ?? "(no name)"),
            accountExternalId: hsId(o.properties.associatedcompanyid),
            email: text(o.properties.email)?.toLowerCase() ?? null,
            title: text(o.properties.jobtitle),
            phone: text(o.properties.phone),
          }),
        ),
    };
    return mappers[object]();
  }

  private async search(type: HsType, filters: { propertyName: string; operator: string; value: string }[], sortBy: string): Promise<z.infer<typeof searchAnswer>> {
    const body = {
      filterGroups: filters.length > 0 ? [{ filters }] : [],
      sorts: [{ propertyName: sortBy, direction: "ASCENDING" }],
      properties: PROPERTIES[type],
      limit: this.pageSize,
    };
    return this.parse(searchAnswer, await this.call("POST", `/crm/v3/objects/${type}/search`, { body, search: true }), `${type} search`);
  }

  async *pull<O extends CrmObject>(object: O, since: Date | null): AsyncIterable<CrmPage<O>> {
    const type = TYPE[object];
    const prop = modifiedProperty(type);
    const owners = object === "contacts" ? new Map<string, string>() : await this.owners();
    const stamp = (o: HsObject) => instant(o.properties[prop]) ?? 0;
    let from = since?.getTime() ?? null;
    /** Ids read whose stamp is `from`: the next query starts at `from` again and skips them. */
    let seen = new Set<string>();
    let total: number | undefined;
    let read = 0;
    for (;;) {
      const page = await this.search(type, from === null ? [] : [{ propertyName: prop, operator: "GTE", value: String(from) }], prop);
      total ??= page.total;
      const fresh = page.results.filter((o) => !(stamp(o) === from && seen.has(o.id)));
      if (fresh.length === 0) {
        // Everything left on this page was read already: done, or more than a page share `from`.
        if (page.results.length < this.pageSize || from === null) break;
        for await (const tied of this.tiedPages(type, prop, from, seen)) {
          read += tied.length;
          yield { records: await this.map(object, tied, false, owners), total: Math.max(total, read) };
        }
        from += 1;
        seen = new Set();
        continue;
      }
      for (const o of fresh) {
        const t = stamp(o);
        if (t !== from) {
          from = t;
          seen = new Set();
        }
        seen.add(o.id);
      }
      read += fresh.length;
      yield { records: await this.map(object, fresh, false, owners), total: Math.max(total, read) };
      if (page.results.length < this.pageSize) break;
    }
    yield* this.archivedPages(object, since, owners);
  }

  /** Every record stamped exactly `at`, by id, except those in `seen`. */
  private async *tiedPages(type: HsType, prop: string, at: number, seen: Set<string>): AsyncIterable<HsObject[]> {
    let lastId = 0;
    for (;;) {
      const page = await this.search(type, [{ propertyName: prop, operator: "EQ", value: String(at) }, { propertyName: "hs_object_id", operator: "GT", value: String(lastId) }], "hs_object_id");
      if (page.results.length === 0) return;
      lastId = Number(page.results.at(-1)!.id);
      const fresh = page.results.filter((o) => !seen.has(o.id));
      if (fresh.length > 0) yield fresh;
      if (page.results.length < this.pageSize) return;
    }
  }

  /**
   * Deleted records: the search never returns them, the archived listing does (by id, 100 a page,
   * for as long as HubSpot keeps them restorable: 90 days). Only those archived since `since` are
   * passed on; they do not move the cursor (they are not in modified order).
   */
  private async *archivedPages<O extends CrmObject>(object: O, since: Date | null, owners: Map<string, string>): AsyncIterable<CrmPage<O>> {
    const type = TYPE[object];
    let after: string | undefined;
    let read = 0;
    do {
      const page = this.parse(listAnswer, await this.call("GET", `/crm/v3/objects/${type}`, { qs: { archived: "true", limit: "100", properties: modifiedProperty(type), ...(after ? { after } : {}) } }), `archived ${type}`);
      const recent = page.results.filter((o) => since === null || (instant(o.archivedAt) ?? Infinity) >= since.getTime());
      read += recent.length;
      if (recent.length > 0) yield { records: await this.map(object, recent, true, owners), total: read, moveCursor: false };
      after = page.paging?.next?.after;
    } while (after);
  }

  async *liveIds(object: CrmObject): AsyncIterable<string[]> {
    const type = TYPE[object];
    let after: string | undefined;
    do {
      const page = this.parse(listAnswer, await this.call("GET", `/crm/v3/objects/${type}`, { qs: { limit: "100", properties: "hs_object_id", ...(after ? { after } : {}) } }), `${type} ids`);
      yield page.results.map((o) => externalIdOf("hubspot", o.id));
      after = page.paging?.next?.after;
    } while (after);
  }

  async check(): Promise<CrmCheck[]> {
    const checks: CrmCheck[] = [];
    const missing = new Map<string, string>();
    const probes: { scope: string; why: string; run: () => Promise<unknown> }[] = [
      { scope: "crm.objects.owners.read", why: "owners' emails", run: () => this.call("GET", "/crm/v3/owners", { qs: { limit: "1" } }) },
      ...(["companies", "deals", "contacts"] as const).map((type) => ({
        scope: `crm.objects.${type}.read`,
        why: type,
        run: () => this.call("POST", `/crm/v3/objects/${type}/search`, { body: { filterGroups: [], sorts: [], properties: ["hs_object_id"], limit: 1 }, search: true }),
      })),
    ];
    let tokenOk = false;
    for (const p of probes) {
      try {
        await p.run();
        tokenOk = true;
        checks.push({ ok: true, text: `HubSpot: the private app can read ${p.why} (${p.scope})` });
      } catch (error) {
        if (error instanceof CrmMissingScopesError) {
          tokenOk = true;
          for (const s of error.scopes.length > 0 ? error.scopes : [p.scope]) missing.set(s, p.why);
          continue;
        }
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof CrmAuthError) {
          return [{ ok: false, text: `HubSpot at ${this.opts.apiUrl} refused HUBSPOT_ACCESS_TOKEN: ${message}. HubSpot → Settings → Integrations → Private Apps → your app → Auth → Show token (after a rotation, the old token stops working).` }];
        }
        return [{ ok: false, text: `HubSpot at ${this.opts.apiUrl} cannot be used: ${message}. Check HUBSPOT_API_URL.` }];
      }
    }
    if (tokenOk) checks.unshift({ ok: true, text: `HubSpot accepts the private app's token (${this.opts.apiUrl})` });
    for (const [scope, why] of missing) {
      checks.push({ ok: false, text: `HubSpot: the private app lacks the scope ${scope} (needed for ${why}). HubSpot → Settings → Integrations → Private Apps → your app → Scopes: add ${scope}, then Commit changes (the token stays the same).` });
    }
    if (this.opts.stageMap && !missing.has("crm.objects.deals.read")) checks.push(...(await this.stageChecks(this.opts.stageMap)));
    return checks;
  }

  /** Every stage of every deal pipeline should be in CRM_STAGE_MAP: deals in an unmapped one are not written. */
  private async stageChecks(stageMap: StageMap): Promise<CrmCheck[]> {
    let answer: z.infer<typeof pipelinesAnswer>;
    try {
      answer = this.parse(pipelinesAnswer, await this.call("GET", "/crm/v3/pipelines/deals"), "deal pipelines");
    } catch (error) {
      return [{ ok: false, text: `HubSpot: the deal pipelines cannot be read: ${error instanceof Error ? error.message : String(error)}` }];
    }
    const unmapped = answer.results.flatMap((p) => p.stages.filter((s) => mapStage(stageMap, s.id, p.id).kind === "unmapped").map((s) => `${s.id} ("${s.label}", pipeline ${p.id} "${p.label}")`));
    const stages = answer.results.reduce((n, p) => n + p.stages.length, 0);
    if (unmapped.length === 0) return [{ ok: true, text: `HubSpot: CRM_STAGE_MAP maps all ${stages} stages of ${answer.results.length} deal pipeline(s)` }];
    return [{ ok: false, text: `HubSpot: CRM_STAGE_MAP does not map ${unmapped.length} of ${stages} deal stages, so deals in them are not written: ${unmapped.join(", ")}. Add "stageId=our stage" pairs for them.` }];
  }
}

/** An answer of HubSpot's, checked against what we read of it (never cast). */
export function parseAnswer<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new CrmError(`HubSpot sent an unreadable answer for ${what}: ${r.error.issues[0]?.message ?? "?"}`, "BAD_RESPONSE");
  return r.data;
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return {};
  }
}
