import type { Database } from "../../db/client.js";
import type { SalesforceConfig } from "../../config/load-config.js";
import { CrmSyncRepository } from "../../db/repositories/crm-sync-repository.js";
import { JobLeaseRepository } from "../../db/repositories/job-lease-repository.js";
import type { LineLogger } from "../../logger.js";
import { CrmSyncService } from "./crm-sync-service.js";
import { SalesforceConnector, type SalesforceConnectorOptions } from "./salesforce-connector.js";

export interface CrmSyncDeps {
  now: () => Date;
  logger: LineLogger;
  workerId: string;
  /** Adds an access token to the logger's redaction list (AppLogger.addSecrets). */
  onSecret?: (secret: string) => void;
  /** Test and bench knobs for the connector (timeouts, page size). */
  connector?: Partial<Pick<SalesforceConnectorOptions, "requestTimeoutMs" | "batchSize">>;
  overlapMs?: number;
}

/** The CRM pull for the configured CRM (Salesforce today; HubSpot slots in as another connector). */
export function createCrmSync(db: Database, config: SalesforceConfig, deps: CrmSyncDeps): CrmSyncService {
  deps.onSecret?.(config.clientSecret);
  const connector = new SalesforceConnector({
    loginUrl: config.loginUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    onSecret: deps.onSecret,
    ...deps.connector,
  });
  return new CrmSyncService(new CrmSyncRepository(db.prisma), new JobLeaseRepository(db.prisma), connector, {
    stageMap: config.stageMap,
    syncMinutes: config.syncMinutes,
    now: deps.now,
    logger: deps.logger,
    workerId: deps.workerId,
    overlapMs: deps.overlapMs,
  });
}
