import { randomUUID } from "node:crypto";
import { z } from "zod";
import { runAs } from "../../db/audit/audit-scope.js";
import type { CrmConnection, CrmSyncRepository } from "../../db/repositories/crm-sync-repository.js";
import type { CrmOutboxRepository, CrmOutboxRow, CrmProblem, DealForPush, PushTotals, QueueScope } from "../../db/repositories/crm-outbox-repository.js";
import type { DealRepository } from "../../db/repositories/deal-repository.js";
import {
  changedInCrm,
  crmCloseDate,
  crmIdOf,
  crmStageFor,
  earliestBaseline,
  followUpTask,
  mergeDealChanges,
  opportunityName,
  pushKey,
  touchActivity,
  type CrmEntity,
  type CrmOpportunityState,
  type DealChange,
  type OpportunityChanges,
} from "../../domain/crm-push.js";
import { backoffMs, dealFromCrm, type StageMap } from "../../domain/crm-sync.js";
import { externalIdOf, ID_PREFIX } from "../../domain/crm-import.js";
import { retryBackoffMs } from "../../domain/delivery-retry.js";
import { localDateOf } from "../../domain/time.js";
import { isTouchKind } from "../../domain/touch-args.js";
import type { LineLogger } from "../../logger.js";
import { CrmAuthError, CrmError, CrmRateLimitError, CrmSetupError } from "./crm-connector.js";
import type { CrmWrite, CrmWriter, CrmWriteResult } from "./crm-writer.js";

/**
 * The CRM push (bot → CRM), the same for every CRM: the queue says what changed, this decides what
 * to write and records what the CRM did; the writer knows the CRM.
 *
 * - Exactly once: rows are claimed under a lease (a crashed sender's rows are taken over when it
 *   runs out); every create carries its key in the CRM's unique external id field, so a write
 *   that reached the CRM before a crash or a timeout is found again instead of made twice; the
 *   CRM id and the row's end are committed together.
 * - In order per record: a record's rows go out oldest first, and all its waiting rows together
 *   (a follow-up created and completed before the push ran is created completed).
 * - The CRM owns opportunity fields: a change made in Slack (stage, amount, close date) is written
 *   only if the opportunity has not changed in the CRM since the stamp the change was made against
 *   (read just before the PATCH: what another writer changes between that read and the PATCH is
 *   the one window left). Otherwise nothing is written, our deal takes the CRM's values at once,
 *   and the row ends as a conflict (its owner is told).
 * - Faults: a refused record is recorded with the CRM's words and not retried (its owner is told;
 *   `crm retry` sends it again); a passing failure is retried with backoff, up to `maxAttempts`;
 *   a refused session marks the connection broken, a rate limit backs the whole connection off
 *   (the pull's backoff state), a setup problem holds the push: the rows wait, unchanged.
 */

export interface CrmPushOptions {
  stageMap: StageMap;
  /** Minutes between pulls: the rate-limit backoff's unit, and how often a held push tries again. */
  syncMinutes: number;
  now: () => Date;
  logger: LineLogger;
  workerId: string;
  /** Rows per claim (and per CRM request; Salesforce takes 200). */
  batchSize?: number;
  /** How long claimed rows stay ours before another sender may take them over. */
  leaseMs?: number;
  /** Tries of a row that fails for passing reasons before it is given up (and its owner told). */
  maxAttempts?: number;
}

export interface PushReport {
  written: number;
  rejected: number;
  conflicts: number;
  retried: number;
  failed: number;
  /** Rows with nothing to write (the record is gone, or no longer on an account the CRM has). */
  skipped: number;
}

export type PushResult =
  | { kind: "held"; reason: "broken" | "backing-off" | "on-hold"; detail: string; until: Date | null; waiting: number }
  | { kind: "done"; report: PushReport; waiting: number; dryRun: boolean }
  | { kind: "stopped"; report: PushReport; reason: "broken" | "backing-off" | "on-hold" | "failing"; error: string; waiting: number };

export interface PushStatus {
  totals: PushTotals[];
  lastPushAt: Date | null;
  blocked: { reason: string; since: Date | null; retryAt: Date | null } | null;
  problems: CrmProblem[];
}

const dealChangeSchema = z.object({ stage: z.string().optional(), amountCents: z.number().int().optional(), closeAt: z.iso.datetime().optional() });

/** A queued deal change as stored (parsed, never cast); an unreadable one changes nothing. */
export function parseDealChange(payload: string): DealChange {
  try {
    const parsed = dealChangeSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

type Outcome = CrmWriteResult | { kind: "conflict"; message: string } | { kind: "skipped"; reason: string };

/** The rows of one record claimed together. */
interface Group {
  entity: CrmEntity;
  entityId: number;
  rows: CrmOutboxRow[];
}

export class CrmPushService {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly queue: CrmOutboxRepository,
    private readonly sync: CrmSyncRepository,
    private readonly deals: DealRepository,
    private readonly writer: CrmWriter,
    private readonly opts: CrmPushOptions,
  ) {
    this.batchSize = opts.batchSize ?? 200;
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.maxAttempts = opts.maxAttempts ?? 10;
  }

  get provider(): string {
    return this.writer.provider;
  }

  private scope(workspaceId: number): QueueScope {
    return { workspaceId, provider: this.writer.provider };
  }

  /** Why the push waits now, or null when it may go. */
  private held(c: CrmConnection | null, now: Date): { reason: "broken" | "backing-off" | "on-hold"; detail: string; until: Date | null } | null {
    if (!c) return null;
    if (c.status === "broken") return { reason: "broken", detail: c.statusReason ?? "the CRM refused the credentials", until: null };
    if (c.backoffUntil && now < c.backoffUntil) return { reason: "backing-off", detail: c.statusReason ?? "rate limited", until: c.backoffUntil };
    if (c.pushBlocked && c.pushRetryAt && now < c.pushRetryAt) return { reason: "on-hold", detail: c.pushBlocked, until: c.pushRetryAt };
    return null;
  }

  /**
   * Sends what is due, batch after batch, until nothing due is left or the connection stops it.
   * `force` ignores a hold, a backoff and a broken connection (the CLI's `crm sync`); `dryRun`
   * writes nothing and says how many rows wait.
   */
  push(workspaceId: number, opts: { force?: boolean; dryRun?: boolean } = {}): Promise<PushResult> {
    // What the CRM's answers change here (a deal taking the CRM's values, the CRM id on our record)
    // is recorded in the audit trail as the CRM's, whoever's change queued the write (README → Data
    // protection); the change itself was recorded as theirs when they made it.
    return runAs({ kind: "sync", detail: this.writer.provider, workspaceId }, () => this.pass(workspaceId, opts), { now: this.opts.now });
  }

  private async pass(workspaceId: number, opts: { force?: boolean; dryRun?: boolean }): Promise<PushResult> {
    const scope = this.scope(workspaceId);
    const before = await this.sync.connection(workspaceId, this.writer.provider);
    const hold = opts.force ? null : this.held(before, this.opts.now());
    if (hold) return { kind: "held", ...hold, waiting: await this.queue.backlog(scope) };
    const report: PushReport = { written: 0, rejected: 0, conflicts: 0, retried: 0, failed: 0, skipped: 0 };
    if (opts.dryRun) return { kind: "done", report, waiting: await this.queue.backlog(scope), dryRun: true };
    const workspace = await this.queue.workspace(workspaceId);
    if (!workspace) throw new Error(`no workspace ${workspaceId}`);
    for (;;) {
      const now = this.opts.now();
      const token = `${this.opts.workerId}:${randomUUID()}`;
      const rows = await this.queue.claim(token, now, this.leaseMs, this.batchSize, scope);
      if (rows.length === 0) break;
      const open = new Set(rows.map((r) => r.id));
      try {
        await this.pushBatch(rows, token, workspace, open, report);
      } catch (error) {
        const stop = await this.stop(workspaceId, before, rows.filter((r) => open.has(r.id)), token, error);
        return { kind: "stopped", report, ...stop, waiting: await this.queue.backlog(scope) };
      }
    }
    // The CRM answered for records (took or refused them): the connection works, a hold is over.
    if (report.written + report.rejected + report.conflicts > 0) await this.healthy(workspaceId, before, report.written > 0);
    return { kind: "done", report, waiting: await this.queue.backlog(scope), dryRun: false };
  }

  /** The CRM answered a push: the connection works (a rate limit or a hold is over). */
  private async healthy(workspaceId: number, before: CrmConnection | null, wrote: boolean): Promise<void> {
    const now = this.opts.now();
    const was = before?.status ?? "ok";
    await this.sync.saveConnection(workspaceId, this.writer.provider, {
      ...(wrote ? { lastPushAt: now } : {}),
      ...(before?.pushBlocked ? { pushBlocked: null, pushBlockedSince: null, pushRetryAt: null } : {}),
      ...(was !== "ok" || (before?.backoffCount ?? 0) > 0 ? { status: "ok", statusReason: null, statusSince: now, backoffUntil: null, backoffCount: 0 } : {}),
    });
  }

  /** The whole connection failed: the rows still ours go back to the queue (or retry), the connection records why. */
  private async stop(workspaceId: number, before: CrmConnection | null, rows: CrmOutboxRow[], token: string, error: unknown): Promise<{ reason: "broken" | "backing-off" | "on-hold" | "failing"; error: string }> {
    const now = this.opts.now();
    const message = error instanceof Error ? error.message : String(error);
    const ids = rows.map((r) => r.id);
    const provider = this.writer.provider;
    this.opts.logger.warn(`crm ${provider} push: ${message}`);
    if (error instanceof CrmAuthError) {
      await this.sync.saveConnection(workspaceId, provider, { status: "broken", statusReason: message, ...(before?.status === "broken" ? {} : { statusSince: now }) });
      await this.queue.release(ids, token, now, message);
      return { reason: "broken", error: message };
    }
    if (error instanceof CrmRateLimitError) {
      const count = (before?.backoffCount ?? 0) + 1;
      // At least as long as the CRM asked, as the pull does (HubSpot's daily limit: an hour at a time).
      const until = new Date(now.getTime() + Math.max(backoffMs(count, this.opts.syncMinutes), error.retryAfterMs ?? 0));
      await this.sync.saveConnection(workspaceId, provider, { status: "limited", statusReason: message, statusSince: now, backoffCount: count, backoffUntil: until });
      await this.queue.release(ids, token, until, message);
      return { reason: "backing-off", error: message };
    }
    if (error instanceof CrmSetupError) {
      const retryAt = new Date(now.getTime() + this.opts.syncMinutes * 60_000);
      await this.sync.saveConnection(workspaceId, provider, { pushBlocked: error.message, pushRetryAt: retryAt, ...(before?.pushBlocked ? {} : { pushBlockedSince: now }) });
      await this.queue.release(ids, token, retryAt, error.message);
      return { reason: "on-hold", error: message };
    }
    // A timeout, a 5xx, the network: the rows may or may not have been written. Their retry is
    // safe (the external id finds a record already made), so they simply go again later.
    await this.retryOrGiveUp(rows, token, error instanceof CrmError ? error.code : "ERROR", message);
    return { reason: "failing", error: message };
  }

  private async retryOrGiveUp(rows: CrmOutboxRow[], token: string, code: string, message: string): Promise<{ retried: number; failed: number }> {
    const now = this.opts.now();
    const attempts = Math.max(0, ...rows.map((r) => r.attempts)); // this one included: the claim counted it
    const ids = rows.map((r) => r.id);
    if (attempts >= this.maxAttempts) {
      await this.queue.refuse(ids, token, "failed", code, `gave up after ${attempts} attempts: ${message}`);
      return { retried: 0, failed: ids.length };
    }
    // Not before the CRM can find a create that may have reached it (HubSpot: its search index's lag).
    const delay = Math.max(retryBackoffMs(attempts), this.writer.findAfterMs ?? 0);
    await this.queue.retryLater(ids, token, new Date(now.getTime() + delay), message);
    return { retried: ids.length, failed: 0 };
  }

  private async pushBatch(rows: CrmOutboxRow[], token: string, ws: { slackTeamId: string; fiscalYearStartMonth: number }, open: Set<number>, report: PushReport): Promise<void> {
    const groups = groupRows(rows);
    const ids = (entity: CrmEntity) => groups.filter((g) => g.entity === entity).map((g) => g.entityId);
    const [touches, followUps, deals] = await Promise.all([this.queue.touchesForPush(ids("touch")), this.queue.followUpsForPush(ids("followUp")), this.queue.dealsForPush(ids("deal"))]);
    const prefix = ID_PREFIX[this.writer.provider];
    // Touches and follow-ups go to the CRM in one batch; each deal on its own (read, then write).
    const batch: { group: Group; write: CrmWrite }[] = [];
    const outcomes = new Map<Group, Outcome>();
    for (const group of groups) {
      const key = pushKey(ws.slackTeamId, group.entity, group.entityId);
      // The claim counted this attempt: more than one means an earlier one may have reached the CRM.
      const resumed = group.rows.some((r) => r.attempts > 1);
      if (group.entity === "touch") {
        const t = touches.get(group.entityId);
        const account = crmIdOf(t?.accountExternalId ?? null, prefix);
        if (!t || !account || !isTouchKind(t.kind)) outcomes.set(group, { kind: "skipped", reason: t ? "the account is not in the CRM" : "the touch no longer exists" });
        else if (t.externalId) outcomes.set(group, { kind: "written", crmId: crmIdOf(t.externalId, prefix) ?? t.externalId });
        else {
          const activity = touchActivity({ kind: t.kind, occurredAt: t.occurredAt, note: t.note, authorName: t.person.name, participantNames: t.participantNames }, { key, zone: t.person.zone, accountCrmId: account, ownerEmail: t.person.email });
          batch.push({ group, write: { op: "logActivity", activity, resumed } });
        }
      } else if (group.entity === "followUp") {
        const f = followUps.get(group.entityId);
        const account = crmIdOf(f?.accountExternalId ?? null, prefix);
        const crmId = crmIdOf(f?.externalId ?? null, prefix);
        if (!f || !account) outcomes.set(group, { kind: "skipped", reason: f ? "the account is not in the CRM" : "the follow-up no longer exists" });
        else if (f.status === "cancelled") {
          // Cancelled here: its open task would stay on the rep's list in the CRM forever, and
          // completing it would count as work done; it goes to the CRM's recycle bin instead.
          if (crmId) batch.push({ group, write: { op: "deleteTask", crmId } });
          else outcomes.set(group, { kind: "skipped", reason: "cancelled before it reached the CRM" });
        } else {
          const task = followUpTask({ title: f.title, dueAt: f.dueAt, status: f.status, ownerName: f.person.name }, { key, zone: f.person.zone, accountCrmId: account, ownerEmail: f.person.email });
          batch.push({ group, write: { op: "saveTask", crmId, task, resumed } });
        }
      }
    }
    if (batch.length > 0) {
      const results = await this.writer.write(batch.map((b) => b.write));
      batch.forEach((b, i) => outcomes.set(b.group, results[i]!));
    }
    await this.finish([...outcomes], token, open, report);
    for (const group of groups.filter((g) => g.entity === "deal")) {
      const outcome = await this.pushDeal(group, deals.get(group.entityId), pushKey(ws.slackTeamId, "deal", group.entityId), ws.fiscalYearStartMonth, prefix);
      await this.finish([[group, outcome]], token, open, report);
    }
  }

  /** A deal: created when the CRM does not have it yet; else its changed fields, unless the CRM changed meanwhile. */
  private async pushDeal(group: Group, deal: DealForPush | undefined, key: string, fiscalYearStartMonth: number, prefix: string): Promise<Outcome> {
    const account = crmIdOf(deal?.accountExternalId ?? null, prefix);
    if (!deal || !account) return { kind: "skipped", reason: deal ? "the account is not in the CRM" : "the deal no longer exists" };
    const zone = deal.person.zone;
    const crmId = crmIdOf(deal.externalId, prefix);
    if (crmId === null) {
      // Everything queued so far is in the deal as it is now: it is created as it is.
      const stage = crmStageFor(this.opts.stageMap, deal.stage, null);
      if (stage.kind === "unmapped") return unmappedStage(stage.stage);
      const [result] = await this.writer.write([
        {
          op: "createOpportunity",
          opportunity: {
            key,
            name: opportunityName(deal, deal.accountName, zone),
            accountCrmId: account,
            amountCents: deal.amountCents,
            closeDate: crmCloseDate(deal, zone, fiscalYearStartMonth),
            crmStage: stage.crmStage,
            ownerEmail: deal.person.email,
          },
          resumed: group.rows.some((r) => r.attempts > 1),
        },
      ]);
      if (result?.kind === "written") await this.takeCrmValues(deal, result.crmId);
      return result ?? { kind: "retry", code: "NO_RESULT", message: "no result" };
    }
    const change = mergeDealChanges(group.rows.filter((r) => r.op === "update").map((r) => parseDealChange(r.payload)));
    const baseline = earliestBaseline(group.rows.map((r) => r.baseline)) ?? deal.crmModifiedAt;
    const current = await this.writer.readOpportunity(crmId);
    if (!current) return { kind: "rejected", code: "DELETED_IN_CRM", message: "the opportunity was deleted in the CRM", fields: [] };
    if (changedInCrm(baseline, current.modifiedAt)) {
      // The CRM wins: nothing is written there, our deal shows the CRM's values from now on.
      await this.takeCrmValues(deal, crmId, current);
      return {
        kind: "conflict",
        message: `changed in the CRM at ${current.modifiedAt.toISOString()}, after the change here was made (against ${baseline?.toISOString() ?? "?"}); the CRM's values were kept`,
      };
    }
    const changes: OpportunityChanges = {};
    if (change.stage !== undefined) {
      const stage = crmStageFor(this.opts.stageMap, change.stage, current.crmStage, current.pipeline);
      if (stage.kind === "unmapped") return unmappedStage(stage.stage);
      if (stage.crmStage !== current.crmStage) changes.crmStage = stage.crmStage;
    }
    if (change.amountCents !== undefined && change.amountCents !== current.amountCents) changes.amountCents = change.amountCents;
    if (change.closeAt !== undefined) {
      const date = localDateOf(new Date(change.closeAt), zone);
      if (date !== current.closeDate) changes.closeDate = date;
    }
    if (Object.keys(changes).length === 0) return { kind: "written", crmId };
    const result = await this.writer.updateOpportunity(crmId, changes);
    // Written: ours takes the CRM's stamp (and whatever its automation set with it). Refused:
    // the CRM keeps its values, and so does our deal.
    if (result.kind === "written") await this.takeCrmValues(deal, crmId);
    else if (result.kind === "rejected") await this.takeCrmValues(deal, crmId, current);
    return result;
  }

  /** Puts the CRM's values of the opportunity on our deal (read now, unless given). */
  private async takeCrmValues(deal: DealForPush, crmId: string, known?: CrmOpportunityState): Promise<void> {
    const state = known ?? (await this.writer.readOpportunity(crmId));
    if (!state) return;
    const { unmapped: _unmapped, ...values } = dealFromCrm({ stage: state.crmStage, pipeline: state.pipeline, amountCents: state.amountCents, closeDate: state.closeDate, modifiedAt: state.modifiedAt }, this.opts.stageMap, deal.person.zone, deal);
    await this.deals.applyCrm(deal.id, { ...values, crmModifiedAt: state.modifiedAt, externalId: externalIdOf(this.writer.provider, crmId) }, this.opts.now());
  }

  /** Records what became of each record's rows (what the CRM took, in one transaction). */
  private async finish(results: [Group, Outcome][], token: string, open: Set<number>, report: PushReport): Promise<void> {
    const provider = this.writer.provider;
    const written = results.flatMap(([g, o]) => (o.kind === "written" ? [{ rowIds: g.rows.map((r) => r.id), entity: g.entity, entityId: g.entityId, externalId: externalIdOf(provider, o.crmId), crmId: o.crmId }] : []));
    await this.queue.written(token, this.opts.now(), written);
    report.written += written.length;
    for (const [group, outcome] of results) {
      const ids = group.rows.map((r) => r.id);
      switch (outcome.kind) {
        case "written":
          break;
        case "rejected":
          await this.queue.refuse(ids, token, "rejected", outcome.code, outcome.message);
          report.rejected++;
          this.opts.logger.info(`crm ${provider} push: ${group.entity} ${group.entityId} refused: ${outcome.message} (${outcome.code})`);
          break;
        case "conflict":
          await this.queue.refuse(ids, token, "conflict", "CONFLICT", outcome.message);
          report.conflicts++;
          break;
        case "skipped":
          await this.queue.skip(ids, token, outcome.reason);
          report.skipped++;
          break;
        case "retry": {
          const r = await this.retryOrGiveUp(group.rows, token, outcome.code, outcome.message);
          report.retried += r.retried > 0 ? 1 : 0;
          report.failed += r.failed > 0 ? 1 : 0;
          break;
        }
      }
      for (const id of ids) open.delete(id);
    }
  }

  /** Rows waiting in the queue. */
  backlog(workspaceId: number): Promise<number> {
    return this.queue.backlog(this.scope(workspaceId));
  }

  /** When the next waiting row falls due (null: none waits). */
  nextDueAt(workspaceId: number): Promise<Date | null> {
    return this.queue.nextDueAt(this.scope(workspaceId));
  }

  /** For `crm status`: per object, rows waiting and done; the hold; the latest refused rows. */
  async status(workspaceId: number, problems = 10): Promise<PushStatus> {
    const scope = this.scope(workspaceId);
    const [totals, c, latest] = await Promise.all([this.queue.totals(scope), this.sync.connection(workspaceId, this.writer.provider), this.queue.problems(scope, { limit: problems })]);
    return {
      totals,
      lastPushAt: c?.lastPushAt ?? null,
      blocked: c?.pushBlocked ? { reason: c.pushBlocked, since: c.pushBlockedSince, retryAt: c.pushRetryAt } : null,
      problems: latest,
    };
  }

  /** Sends refused rows again (all, or the given ones): returns how many. */
  requeue(workspaceId: number, ids: number[] | null): Promise<number> {
    return this.queue.requeue(this.scope(workspaceId), ids, this.opts.now());
  }

  checks(): ReturnType<CrmWriter["checkPush"]> {
    return this.writer.checkPush(this.opts.stageMap);
  }
}

function unmappedStage(stage: string): Outcome {
  return { kind: "rejected", code: "UNMAPPED_STAGE", message: `no CRM stage maps to our stage "${stage}" in CRM_STAGE_MAP, so it was not written`, fields: ["StageName"] };
}

/** Claimed rows by record, in the order of each record's first row. */
function groupRows(rows: CrmOutboxRow[]): Group[] {
  const out = new Map<string, Group>();
  for (const r of rows) {
    const entity = r.entity as CrmEntity;
    const key = `${entity}:${r.entityId}`;
    let g = out.get(key);
    if (!g) out.set(key, (g = { entity, entityId: r.entityId, rows: [] }));
    g.rows.push(r);
  }
  return [...out.values()];
}
