import type { Database } from "../../db/client.js";
import type { CrmConfig } from "../../config/load-config.js";
import { CrmOutboxRepository } from "../../db/repositories/crm-outbox-repository.js";
import { CrmSyncRepository } from "../../db/repositories/crm-sync-repository.js";
import { DealRepository } from "../../db/repositories/deal-repository.js";
import { JobLeaseRepository } from "../../db/repositories/job-lease-repository.js";
import type { LineLogger } from "../../logger.js";
import type { CrmConnector } from "./crm-connector.js";
import { CrmPushService, type CrmPushOptions } from "./crm-push-service.js";
import { CrmSyncService } from "./crm-sync-service.js";
import type { CrmWriter } from "./crm-writer.js";
import { HubSpotConnector, type HubSpotConnectorOptions } from "./hubspot-connector.js";
import { HubSpotWriter } from "./hubspot-writer.js";
import { SalesforceConnector, type SalesforceConnectorOptions } from "./salesforce-connector.js";
import { SalesforceWriter } from "./salesforce-writer.js";

/** Test, bench and doctor knobs for the connector (timeouts, page sizes, the HubSpot pace and clock). */
export type CrmConnectorKnobs = Partial<Pick<SalesforceConnectorOptions, "requestTimeoutMs" | "batchSize">> &
  Partial<Pick<HubSpotConnectorOptions, "requestTimeoutMs" | "pageSize" | "searchIntervalMs" | "rateLimitRetries" | "maxWaitMs" | "sleep" | "clock">>;

export interface CrmSyncDeps {
  now: () => Date;
  logger: LineLogger;
  workerId: string;
  /** Adds an access token to the logger's redaction list (AppLogger.addSecrets). */
  onSecret?: (secret: string) => void;
  connector?: CrmConnectorKnobs;
  overlapMs?: number;
  /** Test and bench knobs for the push (batch size, lease, attempts). */
  push?: Partial<Pick<CrmPushOptions, "batchSize" | "leaseMs" | "maxAttempts">>;
}

/** The configured CRM: its pull, and its push unless CRM_PUSH=off (or the CRM has no writer). */
export interface Crm {
  sync: CrmSyncService;
  push: CrmPushService | null;
}

/**
 * The connector and the writer of the configured CRM: the only place that picks them. Pull and
 * push share one connector, so one session (Salesforce) or one client and pace (HubSpot: its
 * client keeps retry and limiter settings process-wide, so there is exactly one, configured
 * without them).
 */
export function createCrmClients(
  config: CrmConfig,
  opts: { onSecret?: (secret: string) => void; knobs?: CrmConnectorKnobs; now?: () => Date } = {},
): { connector: CrmConnector; writer: CrmWriter } {
  if (config.provider === "hubspot") {
    opts.onSecret?.(config.accessToken);
    const connector = new HubSpotConnector({ apiUrl: config.apiUrl, accessToken: config.accessToken, stageMap: config.stageMap, ...opts.knobs });
    return { connector, writer: new HubSpotWriter(connector, { now: opts.now }) };
  }
  opts.onSecret?.(config.clientSecret);
  const connector = new SalesforceConnector({ loginUrl: config.loginUrl, clientId: config.clientId, clientSecret: config.clientSecret, onSecret: opts.onSecret, ...opts.knobs });
  return { connector, writer: new SalesforceWriter(connector, { now: opts.now }) };
}

/** The connector of the configured CRM alone (doctor's pull checks). */
export function createCrmConnector(config: CrmConfig, opts: { onSecret?: (secret: string) => void; knobs?: CrmConnectorKnobs } = {}): CrmConnector {
  return createCrmClients(config, opts).connector;
}

/**
 * Whether the installation pushes to the configured CRM (CRM_PUSH, on unless "off"). Repositories
 * queue writes only when it does, so no row waits for a push that is off.
 */
export function pushesTo(config: CrmConfig): boolean {
  return config.push !== false;
}

/** The CRM for the configured provider (Salesforce or HubSpot): the engines are the same for both. */
export function createCrm(db: Database, config: CrmConfig, deps: CrmSyncDeps): Crm {
  const { connector, writer } = createCrmClients(config, { onSecret: deps.onSecret, knobs: deps.connector, now: deps.now });
  const syncRepo = new CrmSyncRepository(db.prisma);
  const sync = new CrmSyncService(syncRepo, new JobLeaseRepository(db.prisma), connector, {
    stageMap: config.stageMap,
    syncMinutes: config.syncMinutes,
    now: deps.now,
    logger: deps.logger,
    workerId: deps.workerId,
    overlapMs: deps.overlapMs,
  });
  const push =
    !pushesTo(config)
      ? null
      : new CrmPushService(new CrmOutboxRepository(db.prisma), syncRepo, new DealRepository(db.prisma), writer, {
          stageMap: config.stageMap,
          syncMinutes: config.syncMinutes,
          now: deps.now,
          logger: deps.logger,
          workerId: deps.workerId,
          batchSize: config.pushBatch,
          ...deps.push,
        });
  return { sync, push };
}

/** The CRM pull alone (see createCrm). */
export function createCrmSync(db: Database, config: CrmConfig, deps: CrmSyncDeps): CrmSyncService {
  return createCrm(db, config, deps).sync;
}

/** What createServices needs to know of the configured CRM (null config: none). */
export function crmOptions(config: CrmConfig | null): { provider: CrmConfig["provider"]; push: boolean; slackTeamId?: string } | undefined {
  return config ? { provider: config.provider, push: pushesTo(config), slackTeamId: config.slackTeamId } : undefined;
}
