import type { Database } from "../../db/client.js";
import type { CrmConfig } from "../../config/load-config.js";
import { CrmSyncRepository } from "../../db/repositories/crm-sync-repository.js";
import { JobLeaseRepository } from "../../db/repositories/job-lease-repository.js";
import type { LineLogger } from "../../logger.js";
import type { CrmConnector } from "./crm-connector.js";
import { CrmSyncService } from "./crm-sync-service.js";
import { HubSpotConnector, type HubSpotConnectorOptions } from "./hubspot-connector.js";
import { SalesforceConnector, type SalesforceConnectorOptions } from "./salesforce-connector.js";

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
}

/** The connector of the configured CRM: the only place that picks one. */
export function createCrmConnector(config: CrmConfig, opts: { onSecret?: (secret: string) => void; knobs?: CrmConnectorKnobs } = {}): CrmConnector {
  if (config.provider === "hubspot") {
    opts.onSecret?.(config.accessToken);
    return new HubSpotConnector({ apiUrl: config.apiUrl, accessToken: config.accessToken, stageMap: config.stageMap, ...opts.knobs });
  }
  opts.onSecret?.(config.clientSecret);
  return new SalesforceConnector({ loginUrl: config.loginUrl, clientId: config.clientId, clientSecret: config.clientSecret, onSecret: opts.onSecret, ...opts.knobs });
}

/** The CRM pull for the configured CRM (Salesforce or HubSpot); the engine is the same for both. */
export function createCrmSync(db: Database, config: CrmConfig, deps: CrmSyncDeps): CrmSyncService {
  const connector = createCrmConnector(config, { onSecret: deps.onSecret, knobs: deps.connector });
  return new CrmSyncService(new CrmSyncRepository(db.prisma), new JobLeaseRepository(db.prisma), connector, {
    stageMap: config.stageMap,
    syncMinutes: config.syncMinutes,
    now: deps.now,
    logger: deps.logger,
    workerId: deps.workerId,
    overlapMs: deps.overlapMs,
  });
}
