import type { LineLogger } from "../../logger.js";
import type { JobLeaseRepository } from "../../db/repositories/job-lease-repository.js";
import { runAs } from "../../db/audit/audit-scope.js";
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
import { backoffMs, dealFromCrm, DEFAULT_OVERLAP_MS, pullDue, pullStart, reconcileDue, reconcilePlan, type StageMap } from "../../domain/crm-sync.js";
import { ID_PREFIX } from "../../domain/crm-import.js";
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
 * - Deleted records are archived, never dropped with their touches; one seen live again (restored
 *   from the CRM's recycle bin) is live here again.
 * - Deleted past the CRM's recycle bin (or merged, or purged): a reconcile compares the CRM's ids
 *   with ours and archives what the CRM no longer has. A full pass (`crm sync --full`, and the
 *   first) reconciles with the ids it read; otherwise the connector's id listing runs at most
 *   once a day. A reconcile that would archive more than a tenth of an object is refused and
 *   reported (a lost permission looks like mass deletion) unless `archiveMissing` says so.
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
  /** "reconcile" while the CRM's ids are read (total unknown: 0). */
  phase?: "pull" | "reconcile";
}

export interface SyncOptions {
  /** Read everything again (not from the cursor), and reconcile with what was read. */
  full?: boolean;
  /** Plan and report the same, write nothing (the cursor stays). */
  dryRun?: boolean;
  /** Archive what the reconcile finds missing even when it is more than a tenth of an object. */
  archiveMissing?: boolean;
  onProgress?: (p: SyncProgress) => void;
  /** Run even while backing off (the CLI). */
  force?: boolean;
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
  objects: (Pick<CrmSyncState, "object" | "phase" | "cursorAt" | "cursorId" | "pulled" | "created" | "updated" | "archived" | "skipped" | "lastPullAt" | "reconciledAt" | "lastError" | "lastErrorAt"> & { problems: string[] })[];
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

export interface SyncOptions {
  full?: boolean;
  dryRun?: boolean;
  onProgress?: (p: SyncProgress) => void;
  force?: boolean;
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
        reconciledAt: s?.reconciledAt ?? null,
        lastError: s?.lastError ?? null,
        lastErrorAt: s?.lastErrorAt ?? null,
        problems,
      };
    });
    return { provider: this.provider, workspaceId, connection, objects };
  }

  /** One pass over every object (see SyncOptions). */
  sync(workspaceId: number, opts: SyncOptions = {}): Promise<SyncResult> {
    // Every write of the pass is recorded as the CRM's, whoever started it (README → Data protection).
    return runAs({ kind: "sync", detail: this.connector.provider, workspaceId }, () => this.pass(workspaceId, opts), { now: this.opts.now });
  }

  private async pass(workspaceId: number, opts: SyncOptions): Promise<SyncResult> {
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
          // A pass from the start sees every live record: what it does not see is gone from the CRM.
          const seen = since === null ? new Set<string>() : null;
          let read = 0;
          const renew = async () => {
            // Renew the lease after every page so a long first pass is never taken over; if another
            // replica took it anyway (this one stalled past the lease), stop rather than pull twice.
            if (!(await this.leases.acquire(lease, this.opts.workerId, this.opts.now(), leaseMs))) {
              throw new CrmError("another replica took over the pass (this one stalled past its lease)", "LEASE_LOST");
            }
          };
          for await (const page of this.connector.pull(object, since)) {
            const last = page.records.at(-1);
            if (seen) for (const r of page.records) if (!r.deleted) seen.add(r.externalId);
            if (last) {
              const plan = await this.plan(workspaceId, object, page.records, owners, slackTeamId);
              const cursor = page.moveCursor === false ? null : { at: last.modifiedAt, id: last.externalId };
              if (!opts.dryRun) await this.repo.applyPage(key, plan.writes, cursor, plan.counts, this.opts.now());
              for (const k of Object.keys(plan.counts) as (keyof PageCounts)[]) report[k] += plan.counts[k];
              report.unchanged += plan.unchanged;
              for (const p of plan.problems) if (report.problems.length < MAX_PROBLEMS) report.problems.push(p);
            }
            read += page.records.length;
            opts.onProgress?.({ object, read, total: page.total, phase: "pull" });
            await renew();
          }
          let reconciled = false;
          if (seen) reconciled = await this.reconcile(key, seen, report, opts);
          else if (this.connector.liveIds && reconcileDue(state?.reconciledAt ?? null, this.opts.now())) {
            const ids = new Set<string>();
            for await (const page of this.connector.liveIds(object)) {
              for (const id of page) ids.add(id);
              opts.onProgress?.({ object, read: ids.size, total: 0, phase: "reconcile" });
              await renew();
            }
            reconciled = await this.reconcile(key, ids, report, opts);
          }
          if (!opts.dryRun) await this.repo.finishObject(key, this.opts.now(), report.problems, reconciled ? this.opts.now() : undefined);
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
      // At least as long as the CRM asked (HubSpot's daily limit: an hour at a time).
      const until = new Date(now.getTime() + Math.max(backoffMs(count, this.opts.syncMinutes), error.retryAfterMs ?? 0));
      await this.repo.saveConnection(key.workspaceId, key.provider, { status: "limited", statusReason: message, statusSince: now, backoffCount: count, backoffUntil: until });
    }
    return { kind: "failed", object, error: message, broken: false, objects };
  }

  /**
   * Archives the rows of this CRM (by their id prefix) that `live` lacks; refused and reported when
   * that is more than a tenth of them, unless `archiveMissing`. Returns whether it decided (a
   * refused reconcile still counts: it is retried tomorrow, not on every pass).
   */
  private async reconcile(key: StateKey, live: Set<string>, report: ObjectReport, opts: SyncOptions): Promise<boolean> {
    const object = key.object as CrmObject;
    const here = await this.repo.liveRowsOf(key.workspaceId, object, `${ID_PREFIX[this.connector.provider]}:`);
    const plan = reconcilePlan(here, live, Boolean(opts.archiveMissing));
    if (plan.kind === "refused") {
      const problem = `reconcile: ${plan.missing} of ${plan.here} ${object} here are not in ${this.connector.provider} any more; more than a tenth, so none were archived (did the integration user lose access to records?). If they were deleted, run: ae-assistant crm sync --full --archive-missing`;
      report.problems.unshift(problem);
      this.opts.logger.warn(`crm ${this.connector.provider}: ${problem}`);
      return true;
    }
    if (plan.archive.length > 0 && !opts.dryRun) await this.repo.archiveRows(key, plan.archive, this.opts.now());
    report.archived += plan.archive.length;
    return true;
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
        const problem = `${label}: stage "${unmapped ?? "(none)"}"${r.pipeline ? ` (pipeline ${r.pipeline})` : ""} is not in CRM_STAGE_MAP, so it was not written`;
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
      // Seen live again: restored in the CRM (from its recycle bin), so live here again.
      const fields = current.archived ? { ...decision.fields, archived: false } : decision.fields;
      const diff = changed(current as unknown as Record<string, unknown>, fields as Record<string, unknown>);
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
