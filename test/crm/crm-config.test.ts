import { describe, expect, it } from "vitest";
import { ConfigError, loadCrmConfig } from "../../src/config/load-config.js";
import { backoffMs, mapStage, parseStageMap, pullDue, pullStart, STAGE_MAP_EXAMPLE } from "../../src/domain/crm-sync.js";
import { createJobs } from "../../src/jobs/jobs.js";
import type { Services } from "../../src/services/services.js";
import type { CrmSyncService } from "../../src/services/crm/crm-sync-service.js";

describe("CRM_STAGE_MAP", () => {
  it.each([
    ["Prospecting=prospect;Closed Won=won", [["Prospecting", "prospect"], ["Closed Won", "won"]]],
    ["Proposal/Price Quote = Proposal ; Id. Decision Makers=qualified;", [["Proposal/Price Quote", "proposal"], ["Id. Decision Makers", "qualified"]]],
    ["Prospecting", '"Prospecting" is not "CRM stage=our stage"'],
    ["Prospecting=maybe", '"Prospecting" maps to "maybe", which is not one of prospect, qualified, proposal, negotiation, won, lost'],
    ["A=won;A=lost", '"A" is mapped twice'],
  ])("%s", (text, expected) => {
    const parsed = parseStageMap(text);
    if (typeof expected === "string") expect(parsed.ok ? [] : parsed.problems).toContain(expected);
    else expect(parsed.ok && [...parsed.map.entries()]).toEqual(expected);
  });

  it("maps exactly as configured, and reports anything else as unmapped", () => {
    const map = (parseStageMap(STAGE_MAP_EXAMPLE) as { ok: true; map: Parameters<typeof mapStage>[0] }).map;
    expect(mapStage(map, "Closed Won")).toEqual({ kind: "mapped", stage: "won", status: "won" });
    expect(mapStage(map, "Qualification")).toEqual({ kind: "mapped", stage: "qualified", status: "open" });
    expect(mapStage(map, "closed won")).toEqual({ kind: "unmapped", crmStage: "closed won" });
    expect(mapStage(map, null)).toEqual({ kind: "unmapped", crmStage: "(none)" });
  });
});

describe("pull timing", () => {
  const t = new Date("2026-11-30T09:00:00Z");
  it.each([
    [null, null, true],
    [new Date("2026-11-30T08:55:00Z"), null, true],
    [new Date("2026-11-30T08:56:00Z"), null, false],
    [null, new Date("2026-11-30T09:01:00Z"), false],
  ])("last run %s, backoff until %s → due %s", (lastRunAt, backoffUntil, due) => {
    expect(pullDue(t, lastRunAt, 5, backoffUntil)).toBe(due);
  });
  it("re-reads the overlap behind the cursor, and backs off exponentially up to an hour", () => {
    expect(pullStart(null, 60_000)).toBeNull();
    expect(pullStart(t, 60_000)).toEqual(new Date("2026-11-30T08:59:00Z"));
    expect([1, 2, 3, 10].map((n) => backoffMs(n, 5) / 60_000)).toEqual([5, 10, 20, 60]);
  });
});

describe("loadCrmConfig", () => {
  const good = { SALESFORCE_CLIENT_ID: "key", SALESFORCE_CLIENT_SECRET: "secret", CRM_STAGE_MAP: STAGE_MAP_EXAMPLE };
  it("is null when Salesforce is not configured, and reads the defaults", () => {
    expect(loadCrmConfig({})).toBeNull();
    expect(loadCrmConfig(good)).toMatchObject({ provider: "salesforce", loginUrl: "https://login.salesforce.com", syncMinutes: 5 });
  });
  it("pushes by default, in batches of 200; CRM_PUSH=off keeps it to the pull; bad values are named", () => {
    expect(loadCrmConfig(good)).toMatchObject({ push: true, pushBatch: 200 });
    expect(loadCrmConfig({ ...good, CRM_PUSH: "OFF", CRM_PUSH_BATCH: "25" })).toMatchObject({ push: false, pushBatch: 25 });
    let error: unknown;
    try {
      loadCrmConfig({ ...good, CRM_PUSH: "maybe", CRM_PUSH_BATCH: "500" });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.map((p) => [p.variable, p.message])).toEqual([
      ["CRM_PUSH", 'must be "on" or "off", not "maybe"'],
      ["CRM_PUSH_BATCH", 'must be a whole number from 1 to 200, not "500"'],
    ]);
  });
  it("names every problem of a half configuration at once, never echoing the secret", () => {
    let error: unknown;
    try {
      loadCrmConfig({ SALESFORCE_CLIENT_SECRET: "s3cr3t-value", CRM_SYNC_MINUTES: "0", SALESFORCE_LOGIN_URL: "login.salesforce" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(["SALESFORCE_CLIENT_ID", "SALESFORCE_LOGIN_URL", "CRM_SYNC_MINUTES", "CRM_STAGE_MAP"]);
    expect((error as ConfigError).message).not.toContain("s3cr3t-value");
  });
  it("the crm-sync job is scheduled only when a CRM is configured", () => {
    const base = { services: {} as Services, logger: console, defaultTimezone: "UTC" };
    expect(createJobs(base).map((j) => j.name)).not.toContain("crm-sync");
    expect(createJobs({ ...base, crm: { sync: {} as CrmSyncService } }).map((j) => j.name)).toContain("crm-sync");
  });
});

describe("crm-sync job", () => {
  it("says once, not every minute, why it is not pulling", async () => {
    const { CrmSyncJob } = await import("../../src/jobs/crm-sync-job.js");
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: (...m: unknown[]) => void warnings.push(m.join(" ")), error: () => undefined };
    const crm = { provider: "salesforce", workspaceId: () => Promise.reject(new Error("No workspace yet")) } as unknown as CrmSyncService;
    const job = new CrmSyncJob(crm, logger);
    await job.plan(new Date());
    await job.plan(new Date());
    expect(warnings).toEqual(["crm salesforce: not pulling: No workspace yet"]);
  });
});
