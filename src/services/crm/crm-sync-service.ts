import type { LineLogger } from "../../logger.js";
import type { JobLeaseRepository } from "../../db/repositories/job-lease-repository.js";
import type {
  CrmConnection,
  CrmSyncRepository,
  CrmSyncState,
  AccountWrite,
  ContactWrite,
  DealWrite,
  PageCounts,
  PageWrites,
  StateKey,
  SyncedAccount,
  SyncOwner,
} from "../../db/repositories/crm-sync-repository.js";
import { backoffMs, dealFromCrm, DEFAULT_OVERLAP_MS, pullDue, pullStart, type StageMap } from "../../domain/crm-sync.js";
import { normalizeName } from "../../domain/names.js";
import { parsePushKey } from "../../domain/crm-push.js";
import {
  CRM_OBJECTS,
  CrmAuthError,
  CrmError,
  CrmRateLimitError,
  type CrmAccount,
  type CrmConnector,
  type CrmContact,
  type CrmDeal,
  type CrmObject,
  type CrmRecords,
} from "./crm-connector.js";

/**
 * The CRM pull (CRM → bot), the same for every CRM: the connector reads, this decides and writes.
 *
 * - Incremental: each object is read from its stored cursor (the last modified stamp applied)
 *   minus a small overlap, in (modified, id) order; the upsert on the external id is idempotent,
 *   so re-reading the overlap changes nothing. The first pass reads everything the same way.
 * - Each page's writes and the cursor after it commit together: a crash resumes after the last
 *   page applied.
 * - The CRM owns account and opportunity fields (name, industry, annual revenue, owner; title,
 *   amount, close date, stage). Tier, kind, touches, follow-ups, gifts and snoozes stay ours.
 * - Owners are our users with the CRM owner's email. A new account whose owner is not one of our
 *   users is skipped and reported (it arrives with `crm sync --full` once they use the bot); an
 *   existing one keeps its owner. A deal without a known owner belongs to its account's owner.
 * - Deleted records are archived, never dropped with their touches.
 * - Stages are mapped by configuration: an unmapped stage is reported and not written.
 * - One pass at a time per workspace (a lease renewed every page), whatever the replica.
 */

export interface CrmSyncOptions {
  stageMap: StageMap;
  /** Minutes between scheduled pulls. */
  syncMinutes: number;
  now: () => Date;
  logger: LineLogger;
  /** Who holds the pass lease (a replica, or the CLI). */
  workerId: string;
  overlapMs?: number;
  /** How long a pass may go without finishing a page before another replica may take over. */
  leaseMs?: number;
}

export interface SyncProgress {
  object: CrmObject;
  read: number;
  total: number;
}

export interface ObjectReport extends PageCounts {
  unchanged: number;
  problems: string[];
}

export type SyncResult =
  | { kind: "done"; objects: Record<CrmObject, ObjectReport>; dryRun: boolean }
  | { kind: "busy" }
  | { kind: "backing-off"; until: Date }
  | { kind: "failed"; object: CrmObject; error: string; broken: boolean; objects: Partial<Record<CrmObject, ObjectReport>> };

export interface CrmStatus {
  provider: string;
  workspaceId: number;
  connection: CrmConnection | null;
  objects: (Pick<CrmSyncState, "object" | "phase" | "cursorAt" | "cursorId" | "pulled" | "created" | "updated" | "archived" | "skipped" | "lastPullAt" | "lastError" | "lastErrorAt"> & { problems: string[] })[];
}

const MAX_PROBLEMS = 20;

interface Plan {
  writes: PageWrites;
  counts: PageCounts;
  unchanged: number;
  problems: string[];
}

/** Only the fields that differ; null when nothing does. */
function changed<T extends object>(current: T, next: Partial<T>): Partial<T> | null {
  const out: Partial<T> = {};
  let any = false;
  for (const key of Object.keys(next) as (keyof T)[]) {
    const a = current[key];
    const b = next[key];
    const same = a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
    if (!same) {
      out[key] = b;
      any = true;
    }
  }
  return any ? out : null;
}

function emptyCounts(): PageCounts {
  return { pulled: 0, created: 0, updated: 0, archived: 0, skipped: 0 };
}

export class CrmSyncService {
  private readonly overlapMs: number;

  constructor(
    private readonly repo: CrmSyncRepository,
    private readonly leases: JobLeaseRepository,
    private readonly connector: CrmConnector,
    private readonly opts: CrmSyncOptions,
  ) {
    this.overlapMs = opts.overlapMs ?? DEFAULT_OVERLAP_MS;
  }

  get provider(): string {
    return this.connector.provider;
  }

  /** The workspace the CRM fills: the one with `slackTeamId`, else the only one. */
  async workspaceId(slackTeamId?: string): Promise<number> {
    const all = await this.repo.workspaces();
    if (slackTeamId) {
      const ws = all.find((w) => w.slackTeamId === slackTeamId);
      if (!ws) throw new Error(`No workspace with Slack team id ${slackTeamId} (CRM_SLACK_TEAM_ID).`);
      return ws.id;
    }
    if (all.length === 0) throw new Error("No workspace yet: it is created the first time someone uses /ae.");
    if (all.length > 1) throw new Error(`Several workspaces (${all.map((w) => w.slackTeamId).join(", ")}): set CRM_SLACK_TEAM_ID to the one the CRM belongs to.`);
    return all[0]!.id;
  }

  /** Whether the scheduled pull should run now (interval passed, not backing off). */
  async due(workspaceId: number, now: Date): Promise<boolean> {
    const c = await this.repo.connection(workspaceId, this.connector.provider);
    return pullDue(now, c?.lastRunAt ?? null, this.opts.syncMinutes, c?.backoffUntil ?? null);
  }

  checks(): ReturnType<CrmConnector["check"]> {
    return this.connector.check();
  }

  async status(workspaceId: number): Promise<CrmStatus> {
    const [connection, states] = await Promise.all([this.repo.connection(workspaceId, this.provider), this.repo.states(workspaceId, this.provider)]);
    const byObject = new Map(states.map((s) => [s.object, s]));
    const objects = CRM_OBJECTS.map((object) => {
      const s = byObject.get(object);
      const problems = s ? (JSON.parse(s.problems) as string[]) : [];
      return {
        object,
        phase: s?.phase ?? "initial",
        cursorAt: s?.cursorAt ?? null,
        cursorId: s?.cursorId ?? null,
        pulled: s?.pulled ?? 0,
        created: s?.created ?? 0,
        updated: s?.updated ?? 0,
        archived: s?.archived ?? 0,
        skipped: s?.skipped ?? 0,
        lastPullAt: s?.lastPullAt ?? null,
        lastError: s?.lastError ?? null,
        lastErrorAt: s?.lastErrorAt ?? null,
        problems,
      };
    });
    return { provider: this.provider, workspaceId, connection, objects };
  }

  /**
   * One pass over every object. `full` reads everything again (not from the cursor); `dryRun`
   * plans the same and writes nothing (the cursor stays).
   */
  async sync(workspaceId: number, opts: { full?: boolean; dryRun?: boolean; onProgress?: (p: SyncProgress) => void; force?: boolean } = {}): Promise<SyncResult> {
    const provider = this.connector.provider;
    const lease = `crm-sync:${provider}:${workspaceId}`;
    const leaseMs = this.opts.leaseMs ?? 10 * 60_000;
    const start = this.opts.now();
    if (!(await this.leases.acquire(lease, this.opts.workerId, start, leaseMs))) return { kind: "busy" };
    const objects: Partial<Record<CrmObject, ObjectReport>> = {};
    try {
      const before = await this.repo.connection(workspaceId, provider);
      if (!opts.force && before?.backoffUntil && start < before.backoffUntil) return { kind: "backing-off", until: before.backoffUntil };
      if (!opts.dryRun) await this.repo.saveConnection(workspaceId, provider, { lastRunAt: start });
      const owners = await this.repo.ownersByEmail(workspaceId);
      const slackTeamId = (await this.repo.slackTeamIdOf(workspaceId)) ?? "";
      for (const object of CRM_OBJECTS) {
        const key: StateKey = { workspaceId, provider, object };
        const report: ObjectReport = { ...emptyCounts(), unchanged: 0, problems: [] };
        objects[object] = report;
        try {
          const state = await this.repo.state(key);
          const since = opts.full ? null : pullStart(state?.cursorAt ?? null, this.overlapMs);
          let read = 0;
          for await (const page of this.connector.pull(object, since)) {
            const last = page.records.at(-1);
            if (last) {
              const plan = await this.plan(workspaceId, object, page.records, owners, slackTeamId);
              if (!opts.dryRun) await this.repo.applyPage(key, plan.writes, { at: last.modifiedAt, id: last.externalId }, plan.counts);
              for (const k of Object.keys(plan.counts) as (keyof PageCounts)[]) report[k] += plan.counts[k];
              report.unchanged += plan.unchanged;
              for (const p of plan.problems) if (report.problems.length < MAX_PROBLEMS) report.problems.push(p);
            }
            read += page.records.length;
            opts.onProgress?.({ object, read, total: page.total });
            // Renew the lease after every page so a long first pass is never taken over; if another
            // replica took it anyway (this one stalled past the lease), stop rather than pull twice.
            if (!(await this.leases.acquire(lease, this.opts.workerId, this.opts.now(), leaseMs))) {
              throw new CrmError("another replica took over the pass (this one stalled past its lease)", "LEASE_LOST");
            }
          }
          if (!opts.dryRun) await this.repo.finishObject(key, this.opts.now(), report.problems);
        } catch (error) {
          return await this.fail(key, error, objects, Boolean(opts.dryRun));
        }
      }
      if (!opts.dryRun) {
        await this.repo.saveConnection(workspaceId, provider, { status: "ok", statusReason: null, backoffUntil: null, backoffCount: 0, lastSuccessAt: this.opts.now(), ...(before?.status === "ok" ? {} : { statusSince: this.opts.now() }) });
      }
      return { kind: "done", objects: objects as Record<CrmObject, ObjectReport>, dryRun: Boolean(opts.dryRun) };
    } finally {
      await this.leases.release(lease, this.opts.workerId).catch(() => undefined);
    }
  }

  private async fail(key: StateKey, error: unknown, objects: Partial<Record<CrmObject, ObjectReport>>, dryRun: boolean): Promise<SyncResult> {
    const message = error instanceof Error ? error.message : String(error);
    const now = this.opts.now();
    const object = key.object as CrmObject;
    this.opts.logger.warn(`crm ${key.provider}: pulling ${object} failed: ${message}`);
    if (dryRun) return { kind: "failed", object, error: message, broken: error instanceof CrmAuthError, objects };
    await this.repo.recordError(key, message, now);
    if (error instanceof CrmAuthError) {
      // Broken since the first refusal: later passes that are refused again do not move it (the
      // admins are told once per breakage).
      const c = await this.repo.connection(key.workspaceId, key.provider);
      await this.repo.saveConnection(key.workspaceId, key.provider, { status: "broken", statusReason: message, ...(c?.status === "broken" && c.statusSince ? {} : { statusSince: now }) });
      return { kind: "failed", object, error: message, broken: true, objects };
    }
    if (error instanceof CrmRateLimitError) {
      const c = await this.repo.connection(key.workspaceId, key.provider);
      const count = (c?.backoffCount ?? 0) + 1;
      const until = new Date(now.getTime() + backoffMs(count, this.opts.syncMinutes));
      await this.repo.saveConnection(key.workspaceId, key.provider, { status: "limited", statusReason: message, statusSince: now, backoffCount: count, backoffUntil: until });
    }
    return { kind: "failed", object, error: message, broken: false, objects };
  }

  private plan<O extends CrmObject>(workspaceId: number, object: O, records: CrmRecords[O][], owners: Map<string, SyncOwner>, slackTeamId: string): Promise<Plan> {
    switch (object) {
      case "accounts":
        return this.planAccounts(workspaceId, records as CrmAccount[], owners);
      case "deals":
        return this.planDeals(workspaceId, records as CrmDeal[], owners, slackTeamId);
      default:
        return this.planContacts(workspaceId, records as CrmContact[]);
    }
  }

  private async planAccounts(workspaceId: number, records: CrmAccount[], owners: Map<string, SyncOwner>): Promise<Plan> {
    const existing = await this.repo.accountsByExternalIds(workspaceId, records.map((r) => r.externalId));
    return planPage("accounts", records, existing, (r, current): Decision<AccountWrite> => {
      const ownerId = (r.ownerEmail ? owners.get(r.ownerEmail)?.id : undefined) ?? current?.ownerId;
      if (ownerId === undefined) {
        return { kind: "skip", problem: `account "${r.name}" (${r.externalId}): its owner ${r.ownerEmail ?? "(no email)"} is not a user here; they need to use /ae once (then run crm sync --full)` };
      }
      const fields = { name: r.name, industry: r.industry, annualValueCents: r.annualRevenueCents ?? current?.annualValueCents ?? 0, ownerId };
      return current ? { kind: "update", fields } : { kind: "create", row: { ...fields, archived: false } };
    });
  }

  private async planDeals(workspaceId: number, records: CrmDeal[], owners: Map<string, SyncOwner>, slackTeamId: string): Promise<Plan> {
    const [existing, accounts] = await Promise.all([
      this.repo.dealsByExternalIds(workspaceId, records.map((r) => r.externalId)),
      this.accountsOf(workspaceId, records),
    ]);
    // An opportunity our push made, whose id the push has not recorded yet (it crashed or timed
    // out after the CRM made it): it is our deal, never a second one. The push records the id.
    const ours = new Map<number, string>();
    for (const r of records) {
      const key = existing.has(r.externalId) ? null : parsePushKey(r.pushKey, slackTeamId);
      if (key?.entity === "deal") ours.set(key.id, r.externalId);
    }
    for (const [id, deal] of await this.repo.unlinkedDeals(workspaceId, [...ours.keys()])) existing.set(ours.get(id)!, { ...deal, externalId: ours.get(id)! });
    const waiting = await this.repo.dealsWaitingForPush([...existing.values()].map((d) => d.id));
    return planPage("deals", records, existing, (r, current, problems): Decision<DealWrite> => {
      // A change made in Slack is on its way to the CRM and the CRM's record is the one it was made
      // against (re-read within the overlap): keep ours. Had the CRM changed, the CRM would win here
      // and the push would find the conflict.
      const stamp = current ? waiting.get(current.id) : undefined;
      if (stamp && stamp.getTime() === r.modifiedAt.getTime()) return { kind: "update", fields: {} };
      const account: SyncedAccount | undefined = r.accountExternalId ? accounts.get(r.accountExternalId) : undefined;
      const label = `opportunity "${r.title ?? r.externalId}" (${r.externalId})`;
      if (!account) return { kind: "skip", problem: `${label}: its account ${r.accountExternalId ?? "(none)"} is not here` };
      const owner = r.ownerEmail ? owners.get(r.ownerEmail) : undefined;
      const { unmapped, ...crm } = dealFromCrm(r, this.opts.stageMap, owner?.timezone ?? "UTC", current);
      const base = { accountId: account.id, ownerId: owner?.id ?? current?.ownerId ?? account.ownerId, title: r.title, amountCents: crm.amountCents, expectedCloseAt: crm.expectedCloseAt };
      if (unmapped !== undefined || crm.stage === undefined || crm.status === undefined) {
        const problem = `${label}: stage "${unmapped ?? "(none)"}" is not in CRM_STAGE_MAP, so it was not written`;
        if (!current) return { kind: "skip", problem };
        problems.push(problem);
        return { kind: "update", fields: base };
      }
      const fields = { ...base, stage: crm.stage, status: crm.status, wonAt: crm.wonAt ?? null, lostAt: crm.lostAt ?? null };
      return current ? { kind: "update", fields } : { kind: "create", row: { ...fields, archived: false } };
    });
  }

  private async planContacts(workspaceId: number, records: CrmContact[]): Promise<Plan> {
    const [existing, accounts] = await Promise.all([
      this.repo.contactsByExternalIds(workspaceId, records.map((r) => r.externalId)),
      this.accountsOf(workspaceId, records),
    ]);
    return planPage("contacts", records, existing, (r, current): Decision<ContactWrite> => {
      const account = r.accountExternalId ? accounts.get(r.accountExternalId) : undefined;
      if (!account) return { kind: "skip", problem: `contact "${r.name}" (${r.externalId}): its account ${r.accountExternalId ?? "(none)"} is not here` };
      const fields = { accountId: account.id, name: r.name, email: r.email, title: r.title, phone: r.phone };
      return current ? { kind: "update", fields } : { kind: "create", row: { ...fields, archived: false } };
    });
  }

  /** The accounts the records of a page point at. */
  private accountsOf(workspaceId: number, records: { accountExternalId: string | null }[]): Promise<Map<string, SyncedAccount>> {
    return this.repo.accountsByExternalIds(workspaceId, records.flatMap((r) => (r.accountExternalId ? [r.accountExternalId] : [])));
  }
}

/** What one live record becomes: a new row, new values for the row we have, or nothing (reported). */
type Decision<T> = { kind: "create"; row: Omit<T, "nameKey"> } | { kind: "update"; fields: Partial<Omit<T, "nameKey">> } | { kind: "skip"; problem: string };

type Current = { id: number; archived: boolean };

/**
 * The loop every object shares: the last version of each record, deletions archived, and for the
 * rest `decide`'s create, update (only fields that differ; a changed name brings its nameKey) or
 * skip. Every write carries the record's CRM stamp.
 */
function planPage<O extends PageWrites["object"], R extends CrmRecords[CrmObject], C extends Current, T extends object>(
  object: O,
  records: R[],
  existing: Map<string, C>,
  decide: (r: R, current: C | undefined, problems: string[]) => Decision<T>,
): Plan {
  const ops: { create: Record<string, unknown>[]; update: { id: number; data: Record<string, unknown> }[] } = { create: [], update: [] };
  const out: Plan = { writes: { object, ...ops } as PageWrites, counts: { ...emptyCounts(), pulled: records.length }, unchanged: 0, problems: [] };
  const withKey = (fields: Record<string, unknown>) => (typeof fields.name === "string" ? { ...fields, nameKey: normalizeName(fields.name) } : fields);
  for (const r of latest(records)) {
    const current = existing.get(r.externalId);
    const stamp = { crmModifiedAt: r.modifiedAt };
    if (r.deleted) {
      if (current && !current.archived) {
        ops.update.push({ id: current.id, data: { archived: true, ...stamp } });
        out.counts.archived++;
      } else out.unchanged++;
      continue;
    }
    const decision = decide(r, current, out.problems);
    if (decision.kind === "skip") {
      out.counts.skipped++;
      out.problems.push(decision.problem);
    } else if (decision.kind === "create") {
      ops.create.push({ ...withKey(decision.row as Record<string, unknown>), externalId: r.externalId, ...stamp });
      out.counts.created++;
    } else if (current) {
      const diff = changed(current as unknown as Record<string, unknown>, decision.fields as Record<string, unknown>);
      if (diff === null) out.unchanged++;
      else {
        ops.update.push({ id: current.id, data: { ...withKey(diff), ...stamp } });
        out.counts.updated++;
      }
    }
  }
  return out;
}

/** The last version of each record in a page (a record edited twice may appear twice in an overlap). */
function latest<T extends { externalId: string }>(records: T[]): T[] {
  const byId = new Map<string, T>();
  for (const r of records) byId.set(r.externalId, r);
  return [...byId.values()];
}
