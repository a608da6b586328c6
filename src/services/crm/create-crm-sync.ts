import type { Database } from "../../db/client.js";
import type { SalesforceConfig } from "../../config/load-config.js";
import { CrmOutboxRepository } from "../../db/repositories/crm-outbox-repository.js";
import { CrmSyncRepository } from "../../db/repositories/crm-sync-repository.js";
import { DealRepository } from "../../db/repositories/deal-repository.js";
import { JobLeaseRepository } from "../../db/repositories/job-lease-repository.js";
import type { LineLogger } from "../../logger.js";
import { CrmPushService, type CrmPushOptions } from "./crm-push-service.js";
import { CrmSyncService } from "./crm-sync-service.js";
import { SalesforceConnector, type SalesforceConnectorOptions } from "./salesforce-connector.js";
import { SalesforceWriter } from "./salesforce-writer.js";

export interface CrmSyncDeps {
  now: () => Date;
  logger: LineLogger;
  workerId: string;
  /** Adds an access token to the logger's redaction list (AppLogger.addSecrets). */
  onSecret?: (secret: string) => void;
  /** Test and bench knobs for the connector (timeouts, page size). */
  connector?: Partial<Pick<SalesforceConnectorOptions, "requestTimeoutMs" | "batchSize">>;
  overlapMs?: number;
  /** Test and bench knobs for the push (batch size, lease, attempts). */
  push?: Partial<Pick<CrmPushOptions, "batchSize" | "leaseMs" | "maxAttempts">>;
}

/** The configured CRM: its pull, and its push unless CRM_PUSH=off. */
export interface Crm {
  sync: CrmSyncService;
  push: CrmPushService | null;
}

/**
 * The CRM for the configured provider (Salesforce today; HubSpot slots in as another connector
 * and writer): the only place that picks them. Pull and push share one connector, so one session.
 */
export function createCrm(db: Database, config: SalesforceConfig, deps: CrmSyncDeps): Crm {
  deps.onSecret?.(config.clientSecret);
  const connector = new SalesforceConnector({
    loginUrl: config.loginUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    onSecret: deps.onSecret,
    ...deps.connector,
  });
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
    config.push === false
      ? null
      : new CrmPushService(new CrmOutboxRepository(db.prisma), syncRepo, new DealRepository(db.prisma), new SalesforceWriter(connector, { now: deps.now }), {
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
export function createCrmSync(db: Database, config: SalesforceConfig, deps: CrmSyncDeps): CrmSyncService {
  return createCrm(db, config, deps).sync;
}

/** What createServices needs to know of the configured CRM (null config: none). */
export function crmOptions(config: SalesforceConfig | null): { provider: "salesforce"; push: boolean; slackTeamId?: string } | undefined {
  return config ? { provider: config.provider, push: config.push !== false, slackTeamId: config.slackTeamId } : undefined;
}
