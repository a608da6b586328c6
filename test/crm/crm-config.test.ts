import { describe, expect, it } from "vitest";
import { ConfigError, loadCrmConfig } from "../../src/config/load-config.js";
import { backoffMs, HUBSPOT_STAGE_MAP_EXAMPLE, mapStage, parseStageMap, pullDue, pullStart, reconcileDue, reconcilePlan, STAGE_MAP_EXAMPLE } from "../../src/domain/crm-sync.js";
import { createLogger } from "../../src/logger.js";
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

describe("HubSpot stages and pipelines", () => {
  const map = (parseStageMap(`${HUBSPOT_STAGE_MAP_EXAMPLE};renewals:appointmentscheduled=qualified;98765=negotiation`) as { ok: true; map: Parameters<typeof mapStage>[0] }).map;
  it.each([
    ["appointmentscheduled", "default", "prospect"],
    // pipelineId:stageId wins over the bare stage id.
    ["appointmentscheduled", "renewals", "qualified"],
    ["98765", "renewals", "negotiation"],
    ["closedwon", null, "won"],
  ])("%s in pipeline %s → %s", (stage, pipeline, ours) => {
    expect(mapStage(map, stage, pipeline)).toMatchObject({ kind: "mapped", stage: ours });
  });
  it("reports an unmapped stage with its pipeline", () => {
    expect(mapStage(map, "11111", "renewals")).toEqual({ kind: "unmapped", crmStage: "11111", pipeline: "renewals" });
  });
});

describe("reconcile", () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ externalId: `hs:${i}` }));
  const live = (n: number, skip: number[] = []) => new Set(rows(n).map((r) => r.externalId).filter((_, i) => !skip.includes(i)));
  it.each([
    // [rows here, missing in the CRM, allowMass, → archived or refused]
    [100, 0, false, "archive 0"],
    [100, 10, false, "archive 10"],
    [100, 20, false, "archive 20"],
    [1000, 100, false, "archive 100"],
    [1000, 101, false, "refused 101 of 1000"],
    [30, 25, false, "refused 25 of 30"],
    [30, 25, true, "archive 25"],
  ])("%i here, %i gone, allowed %s → %s", (here, gone, allow, expected) => {
    const plan = reconcilePlan(rows(here), live(here, Array.from({ length: gone }, (_, i) => i)), allow);
    expect(plan.kind === "archive" ? `archive ${plan.archive.length}` : `refused ${plan.missing} of ${plan.here}`).toBe(expected);
  });
  it("is due once a day (a minute's slack for the scheduler's tick)", () => {
    const t = new Date("2026-11-30T09:00:00Z");
    expect(reconcileDue(null, t)).toBe(true);
    expect(reconcileDue(new Date("2026-11-29T09:00:30Z"), t)).toBe(true);
    expect(reconcileDue(new Date("2026-11-29T10:00:00Z"), t)).toBe(false);
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
  it("reads HubSpot: the token, the default API URL, and the HubSpot stage map", () => {
    const token = "pat-na1-11111111-2222-3333-4444-555555555555";
    expect(loadCrmConfig({ HUBSPOT_ACCESS_TOKEN: token, CRM_STAGE_MAP: HUBSPOT_STAGE_MAP_EXAMPLE })).toMatchObject({ provider: "hubspot", apiUrl: "https://api.hubapi.com", accessToken: token, syncMinutes: 5 });
    expect(loadCrmConfig({ HUBSPOT_ACCESS_TOKEN: token, HUBSPOT_API_URL: "http://127.0.0.1:7358/", CRM_STAGE_MAP: "closedwon=won" })).toMatchObject({ apiUrl: "http://127.0.0.1:7358" });
    // The push settings are the same variables for both CRMs.
    expect(loadCrmConfig({ HUBSPOT_ACCESS_TOKEN: token, CRM_STAGE_MAP: "closedwon=won" })).toMatchObject({ push: true, pushBatch: 200 });
    expect(loadCrmConfig({ HUBSPOT_ACCESS_TOKEN: token, CRM_STAGE_MAP: "closedwon=won", CRM_PUSH: "off", CRM_PUSH_BATCH: "50" })).toMatchObject({ push: false, pushBatch: 50 });
    expect(() => loadCrmConfig({ HUBSPOT_ACCESS_TOKEN: token, CRM_STAGE_MAP: "closedwon=won", CRM_PUSH: "sometimes" })).toThrow(ConfigError);
  });
  it.each([
    [{ HUBSPOT_API_URL: "http://127.0.0.1:7358" }, ["HUBSPOT_ACCESS_TOKEN", "CRM_STAGE_MAP"], "is missing (HUBSPOT_API_URL is set)"],
    [{ HUBSPOT_ACCESS_TOKEN: "CJSP-not-a-private-app-token", CRM_STAGE_MAP: "closedwon=won" }, ["HUBSPOT_ACCESS_TOKEN"], "is not a private app access token"],
    [{ HUBSPOT_ACCESS_TOKEN: "pat-na1-11111111-2222", SALESFORCE_CLIENT_ID: "key", SALESFORCE_CLIENT_SECRET: "s3cr3t-value", CRM_STAGE_MAP: "closedwon=won" }, ["HUBSPOT_ACCESS_TOKEN"], "one CRM per installation"],
  ])("a HubSpot problem is one ConfigError naming it (%j)", (env, variables, message) => {
    let error: unknown;
    try {
      loadCrmConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(variables);
    expect((error as ConfigError).message).toContain(message);
    expect((error as ConfigError).message).not.toMatch(/pat-na1-1111|s3cr3t-value|CJSP/);
  });
  it("the stage map's hint names HubSpot stage ids when HubSpot is configured", () => {
    expect(() => loadCrmConfig({ HUBSPOT_ACCESS_TOKEN: "pat-na1-11111111-2222" })).toThrow(/HubSpot deal stage id=our stage.*appointmentscheduled=prospect/s);
  });
  it("redacts HubSpot private-app tokens from every log line, known or not", () => {
    const lines: string[] = [];
    createLogger("info", (l) => lines.push(l), []).info("HubSpot said: token pat-eu1-0a1b2c3d-4e5f-6789-abcd-ef0123456789 is invalid");
    expect(lines[0]).toContain("token [redacted] is invalid");
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
