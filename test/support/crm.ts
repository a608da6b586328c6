import { afterAll, afterEach, beforeAll } from "vitest";
import type { Provider } from "../../src/db/client.js";
import { FakeHubSpot, type FakeHubSpotOptions } from "../../src/demo/fake-hubspot.js";
import { FakeSalesforce, type FakeSalesforceOptions } from "../../src/demo/fake-salesforce.js";
import { HUBSPOT_STAGE_MAP_EXAMPLE, parseStageMap, STAGE_MAP_EXAMPLE, type StageMap } from "../../src/domain/crm-sync.js";
import { createLogger } from "../../src/logger.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

/** The README's example CRM_STAGE_MAP, parsed. */
export const TEST_STAGES: StageMap = stageMap(STAGE_MAP_EXAMPLE);
/** The README's example CRM_STAGE_MAP for HubSpot's default pipeline, parsed. */
export const HUBSPOT_TEST_STAGES: StageMap = stageMap(HUBSPOT_STAGE_MAP_EXAMPLE);

/** A CRM_STAGE_MAP the test knows to be valid, parsed. */
export function stageMap(text: string): StageMap {
  const parsed = parseStageMap(text);
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.map;
}

export const silentLogger = createLogger("error", () => undefined, []);

/**
 * For a CRM suite (inside a describe): a database of its own for the suite, and fake Salesforces
 * (`startFake`) and HubSpots (`startHubSpot`) stopped after each test.
 */
export function crmTestbed(provider: Provider): {
  db: () => TestDatabase;
  startFake: (opts?: FakeSalesforceOptions) => Promise<FakeSalesforce>;
  startHubSpot: (opts?: FakeHubSpotOptions) => Promise<FakeHubSpot>;
} {
  let tdb: TestDatabase | undefined;
  const fakes: { stop(): Promise<void> }[] = [];
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
  });
  afterEach(async () => {
    for (const f of fakes.splice(0)) await f.stop();
  });
  afterAll(async () => tdb?.drop());
  return {
    db: () => {
      if (!tdb) throw new Error("the test database is made in beforeAll");
      return tdb;
    },
    startFake: async (opts) => {
      const sf = await FakeSalesforce.start(opts);
      fakes.push(sf);
      return sf;
    },
    startHubSpot: async (opts) => {
      const hs = await FakeHubSpot.start(opts);
      fakes.push(hs);
      return hs;
    },
  };
}
