import { WorkspaceSettingsService } from "./workspace-settings-service.js";
import { ping, type Database } from "../db/client.js";
import { AccountRepository } from "../db/repositories/account-repository.js";
import { JobLeaseRepository } from "../db/repositories/job-lease-repository.js";
import { OutboxRepository } from "../db/repositories/outbox-repository.js";
import { TeamRepository } from "../db/repositories/team-repository.js";
import { UserRepository } from "../db/repositories/user-repository.js";
import { WorkspaceRepository } from "../db/repositories/workspace-repository.js";
import { DealRepository } from "../db/repositories/deal-repository.js";
import { QuotaRepository } from "../db/repositories/quota-repository.js";
import { CompPlanRepository } from "../db/repositories/comp-plan-repository.js";
import { GiftRepository } from "../db/repositories/gift-repository.js";
import { TouchRepository } from "../db/repositories/touch-repository.js";
import { FollowUpRepository } from "../db/repositories/followup-repository.js";
import { AccountDetailRepository } from "../db/repositories/account-detail-repository.js";
import { LeaderboardRepository } from "../db/repositories/leaderboard-repository.js";
import { ReminderRepository } from "../db/repositories/reminder-repository.js";
import { ProcessedRequestRepository } from "../db/repositories/processed-request-repository.js";
import type { Principal } from "../domain/authorization.js";
import { AccountResolver } from "./account-resolver.js";
import { ActorService, type Actor } from "./actor-service.js";
import { principalFor } from "./principal.js";
import { EventBus } from "./domain-events.js";
import { OUTBOX_KIND } from "./outbox-kinds.js";
import { TeamService } from "./team-service.js";
import { LeaderboardService } from "./leaderboard-service.js";
import { DealService } from "./deal-service.js";
import { QuotaService } from "./quota-service.js";
import { GiftService } from "./gift-service.js";
import { KeyedLock } from "../db/keyed-lock.js";
import { AccountService } from "./account-service.js";
import { TouchService } from "./touch-service.js";
import { FollowUpService } from "./followup-service.js";
import { ReminderService } from "./reminder-service.js";
import { ReminderActionsService } from "./reminder-actions-service.js";
import type { LineLogger } from "../logger.js";
import { ManagerViewService } from "./manager-view-service.js";
import { HandoverService } from "./handover-service.js";
import { HandoverRepository } from "../db/repositories/handover-repository.js";
import { AuditRepository } from "../db/repositories/audit-repository.js";
import { AuditService } from "./audit-service.js";
import { PrivacyRepository } from "../db/repositories/privacy-repository.js";
import { PrivacyService } from "./privacy-service.js";
import { CrmOutboxRepository, type CrmQueue } from "../db/repositories/crm-outbox-repository.js";
import { ID_PREFIX } from "../domain/crm-import.js";
import type { CrmProvider } from "./crm/crm-connector.js";
import { CrmStatusService } from "./crm/crm-status-service.js";
import { CrmSyncRepository } from "../db/repositories/crm-sync-repository.js";
import { PipelineRepository } from "../db/repositories/pipeline-repository.js";
import { PipelineService } from "./pipeline-service.js";

export interface Repositories {
  workspaces: WorkspaceRepository;
  users: UserRepository;
  accounts: AccountRepository;
  teams: TeamRepository;
  outbox: OutboxRepository;
  leases: JobLeaseRepository;
  touches: TouchRepository;
  followUps: FollowUpRepository;
  /** Read side of the account page (deals and gifts of one account). */
  accountDetails: AccountDetailRepository;
  deals: DealRepository;
  quotas: QuotaRepository;
  compPlans: CompPlanRepository;
  gifts: GiftRepository;
  /** Batched team figures for leaderboards. */
  leaderboard: LeaderboardRepository;
  /** Batched reads for the daily/manager digests and the Home tab. */
  reminders: ReminderRepository;
  /** Slack deliveries already handled (retry de-duplication). */
  processedRequests: ProcessedRequestRepository;
  /** The rows a handover moves, and the move in one transaction. */
  handovers: HandoverRepository;
  /** The audit trail: reads (decrypted), operations' events, data keys. */
  audit: AuditRepository;
  /** Finding, exporting and erasing one person's data; the retention purges. */
  privacy: PrivacyRepository;
  /** The CRM push queue (filled by the touch, follow-up, deal and handover repositories). */
  crmOutbox: CrmOutboxRepository;
  /** Open deals of a rep or a team for `/ae pipeline` (one query). */
  pipeline: PipelineRepository;
}

export interface Services {
  repos: Repositories;
  actors: ActorService;
  accountResolver: AccountResolver;
  /** Feature-to-feature events (Home refresh, deal-won celebration). */
  events: EventBus;
  /** The actor's rights (role + managed team members). */
  principal(actor: Actor): Promise<Principal>;
  /** Whether the database answers (the /healthz route). */
  databaseUp(): Promise<boolean>;
  /**
   * Records a Slack delivery key: true the first time, false for a retry of one already handled
   * (`slack/middleware/dedupe-retries.ts`).
   */
  claimDelivery(key: string): Promise<boolean>;
  /** Accounts: add, list (at-risk first), one account's page, pickers. */
  accounts: AccountService;
  /** Touches: log (keeps Account.lastTouchAt current). */
  touches: TouchService;
  /** Follow-ups: create, list open, complete. */
  followUps: FollowUpService;
  /** Deals: create, win (emits "deal.won"), lose. */
  deals: DealService;
  /** Quota, pace and commission; `wonByUsers` for leaderboards and digests. */
  quota: QuotaService;
  /** Gifts and entertainment (FINRA Rule 3220). */
  gifts: GiftService;
  /** Teams: members, manager, leaderboard channel, settings. */
  teams: TeamService;
  /** Team leaderboards (view models). */
  leaderboards: LeaderboardService;
  /** Daily and manager digests, the Home dashboard (batched). */
  reminders: ReminderService;
  /** The digest's buttons (snooze, done, log touch) and reminder settings. */
  reminderActions: ReminderActionsService;
  /** Managers' and admins' view of a rep or a team (quota, follow-ups). */
  managerView: ManagerViewService;
  /** The open pipeline and forecast of a quarter, for a rep or a manager's team. */
  pipeline: PipelineService;
  /** Handing a book (accounts, open follow-ups, open deals) from one person to another. */
  handovers: HandoverService;
  /** Workspace settings (currency, fiscal year, zone, pace, thresholds, gift limit) and holidays. */
  workspaceSettings: WorkspaceSettingsService;
  /** The audit trail: who is acting (`runAs`), `/ae history`, the export. */
  audit: AuditService;
  /** A person's data: export (Art. 15/20), erasure (Art. 17), and retention. */
  privacy: PrivacyService;
  /** The CRM sync as Slack shows it (the admins' Home line, notices); absent when no CRM is configured. */
  crmStatus?: CrmStatusService;
}

export interface ServicesOptions {
  defaultTimezone: string;
  now: () => Date;
  logger: LineLogger;
  /**
   * The configured CRM. With `push`, changes to touches, follow-ups and deals on accounts it has
   * are queued for it in their own transactions ("crm.queued" is emitted after each).
   */
  crm?: { provider: CrmProvider; push: boolean; slackTeamId?: string };
}

/** Builds the repositories and use cases over one database. */
export function createServices(db: Database, opts: ServicesOptions): Services {
  const events = new EventBus(opts.logger);
  const crmQueue: CrmQueue | undefined = opts.crm?.push
    ? { provider: opts.crm.provider, idPrefix: ID_PREFIX[opts.crm.provider], now: opts.now, queued: () => void events.emit("crm.queued", {}) }
    : undefined;
  const repos: Repositories = {
    workspaces: new WorkspaceRepository(db.prisma, () => opts.now().getTime()),
    users: new UserRepository(db.prisma),
    accounts: new AccountRepository(db.prisma),
    teams: new TeamRepository(db.prisma),
    outbox: new OutboxRepository(db.prisma),
    leases: new JobLeaseRepository(db.prisma),
    touches: new TouchRepository(db.prisma, crmQueue),
    followUps: new FollowUpRepository(db.prisma, crmQueue),
    accountDetails: new AccountDetailRepository(db.prisma),
    deals: new DealRepository(db.prisma, crmQueue),
    quotas: new QuotaRepository(db.prisma),
    compPlans: new CompPlanRepository(db.prisma),
    gifts: new GiftRepository(db.prisma),
    leaderboard: new LeaderboardRepository(db.prisma),
    reminders: new ReminderRepository(db.prisma),
    processedRequests: new ProcessedRequestRepository(db.prisma),
    audit: new AuditRepository(db.prisma),
    privacy: new PrivacyRepository(db.prisma, db.prisma),
    handovers: new HandoverRepository(db.prisma, crmQueue),
    crmOutbox: new CrmOutboxRepository(db.prisma),
    pipeline: new PipelineRepository(db.prisma),
  };
  const accountResolver = new AccountResolver(repos.accounts);
  const accounts = new AccountService(repos.accounts, repos.accountDetails, repos.touches, repos.followUps, opts.now);
  const quota = new QuotaService(repos.quotas, repos.compPlans, repos.workspaces, opts.now);
  const touches = new TouchService(repos.touches, repos.users, accounts, opts.now);
  const followUps = new FollowUpService(repos.followUps, accounts, opts.now);
  const teams = new TeamService(repos.teams, repos.users);
  const managerView = new ManagerViewService(repos.users, repos.teams, quota, followUps);
  return {
    repos,
    actors: new ActorService(repos.workspaces, repos.users, { timezone: opts.defaultTimezone }, opts.now),
    accountResolver,
    events,
    principal: (actor) => principalFor(actor, repos.teams),
    databaseUp: () => ping(db),
    claimDelivery: (key) => repos.processedRequests.claim(key),
    accounts,
    touches,
    followUps,
    deals: new DealService(repos.deals, repos.users, accountResolver, quota, events, opts.now),
    quota,
    gifts: new GiftService(repos.gifts, repos.accounts, repos.workspaces, opts.now, new KeyedLock(db)),
    teams,
    leaderboards: new LeaderboardService(repos.leaderboard, { timezone: opts.defaultTimezone }),
    reminders: new ReminderService(repos.reminders, { timezone: opts.defaultTimezone }, async (slackUserId, localDate) =>
      (await repos.outbox.find(slackUserId, localDate, OUTBOX_KIND.reminder)) !== null,
    ),
    reminderActions: new ReminderActionsService(repos.reminders, repos.users, touches, followUps, opts.now),
    workspaceSettings: new WorkspaceSettingsService(repos.workspaces),
    managerView,
    pipeline: new PipelineService(repos.pipeline, repos.reminders, managerView, { timezone: opts.defaultTimezone }, opts.now),
    handovers: new HandoverService(repos.handovers, repos.users, teams, events, opts.now),
    audit: new AuditService(repos.audit, repos.accounts, repos.users, repos.gifts),
    privacy: new PrivacyService(repos.privacy, repos.audit, repos.workspaces, opts.now),
    ...(opts.crm ? { crmStatus: new CrmStatusService(new CrmSyncRepository(db.prisma), repos.crmOutbox, opts.crm.provider, opts.crm.slackTeamId) } : {}),
  };
}
