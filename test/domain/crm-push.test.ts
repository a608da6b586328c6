import { describe, expect, it } from "vitest";
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
} from "../../src/domain/crm-push.js";
import { dealFromCrm, parseStageMap, type StageMap } from "../../src/domain/crm-sync.js";

const map = (text: string) => (parseStageMap(text) as { ok: true; map: StageMap }).map;
const SEVERAL = map("Prospecting=prospect;Needs Analysis=qualified;Qualification=qualified;Closed Won=won;Closed Lost=lost");

describe("what a touch becomes in the CRM", () => {
  const ctx = { key: "T1-touch-7", zone: "Europe/Berlin", accountCrmId: "0015g0000000001", ownerEmail: "ada@example.com" };
  it.each([
    ["call", "Renewal agreed\nthree years", "call", "Call: Renewal agreed", 0],
    ["email", null, "email", "Email (logged in Slack)", 0],
    ["note", "  \n  Budget frozen until Q2", "note", "Note: Budget frozen until Q2", 0],
    ["meeting", "Kick-off", "meeting", "Meeting: Kick-off", 30],
    ["demo", null, "meeting", "Demo (logged in Slack)", 60],
    ["meal", "Dinner", "meeting", "Meal: Dinner", 90],
    ["entertainment", "Opera", "meeting", "Entertainment: Opera", 120],
  ] as const)("%s with note %j → %s, subject %j, %i minutes", (kind, note, type, subject, minutes) => {
    const a = touchActivity({ kind, occurredAt: new Date("2026-12-08T23:30:00Z"), note, authorName: "Ada", participantNames: [] }, ctx);
    expect(a).toMatchObject({ type, subject, minutes, key: "T1-touch-7", accountCrmId: "0015g0000000001" });
    // The day is the rep's: 00:30 on Dec 9 in Berlin.
    expect(a.date).toBe("2026-12-09");
    expect(a.start).toEqual(new Date(new Date("2026-12-08T23:30:00Z").getTime() - minutes * 60_000));
  });
  it("names who logged it and who was there, and keeps to the CRM's lengths", () => {
    const a = touchActivity({ kind: "call", occurredAt: new Date("2026-12-08T10:00:00Z"), note: "x".repeat(400), authorName: "Ada", participantNames: ["Bob", "Carol"] }, ctx);
    expect(Array.from(a.subject)).toHaveLength(255);
    expect(a.subject.endsWith("…")).toBe(true);
    expect(a.description.endsWith("Logged in Slack by Ada, with Bob, Carol.")).toBe(true);
  });
});

describe("what a follow-up becomes in the CRM", () => {
  it("a task due on the owner's day, done when it is", () => {
    const base = { title: "  Send the contract ", dueAt: new Date("2026-12-09T23:00:00Z"), ownerName: "Ada" };
    const ctx = { key: "T1-followUp-3", zone: "Europe/Berlin", accountCrmId: "001", ownerEmail: null };
    expect(followUpTask({ ...base, status: "open" }, ctx)).toMatchObject({ subject: "Send the contract", dueDate: "2026-12-10", done: false });
    expect(followUpTask({ ...base, status: "done" }, ctx).done).toBe(true);
  });
});

describe("CRM_STAGE_MAP read backwards", () => {
  it.each([
    ["qualified", null, { kind: "mapped", crmStage: "Needs Analysis" }],
    ["qualified", "Qualification", { kind: "mapped", crmStage: "Qualification" }],
    ["qualified", "Prospecting", { kind: "mapped", crmStage: "Needs Analysis" }],
    ["won", "Needs Analysis", { kind: "mapped", crmStage: "Closed Won" }],
    ["negotiation", null, { kind: "unmapped", stage: "negotiation" }],
  ] as const)("%s (the opportunity is at %s) → %j", (stage, current, expected) => {
    expect(crmStageFor(SEVERAL, stage, current)).toEqual(expected);
  });

  // HubSpot: a deal's stage must be one of its pipeline's.
  const PIPELINES = map("renewals:r-discovery=prospect;renewals:r-offer=proposal;appointmentscheduled=prospect;presentationscheduled=proposal;closedwon=won;upsell:u-won=won;upsell:u-neg=negotiation");
  it.each([
    // Its own pipeline's entry first, then a bare stage id; never another pipeline's.
    ["proposal", "r-discovery", "renewals", { kind: "mapped", crmStage: "r-offer" }],
    ["prospect", "presentationscheduled", "default", { kind: "mapped", crmStage: "appointmentscheduled" }],
    ["won", "r-offer", "renewals", { kind: "mapped", crmStage: "closedwon" }],
    ["won", "u-other", "upsell", { kind: "mapped", crmStage: "u-won" }],
    // The current stage is kept when it already means ours (read with its pipeline).
    ["prospect", "r-discovery", "renewals", { kind: "mapped", crmStage: "r-discovery" }],
    // Only other pipelines' entries: not written (it would move the deal to another pipeline).
    ["negotiation", "r-offer", "renewals", { kind: "unmapped", stage: "negotiation" }],
  ])("%s for a deal at %s in pipeline %s → %j", (stage, current, pipeline, expected) => {
    expect(crmStageFor(PIPELINES, stage, current, pipeline)).toEqual(expected);
  });

  it("a new HubSpot deal takes the first entry listed (the writer finds its pipeline)", () => {
    expect(crmStageFor(PIPELINES, "proposal", null)).toEqual({ kind: "mapped", crmStage: "renewals:r-offer" });
    expect(crmStageFor(PIPELINES, "won", null)).toEqual({ kind: "mapped", crmStage: "closedwon" });
  });
});

describe("conflicts and queued changes", () => {
  const t = (s: string) => new Date(`2026-12-08T${s}Z`);
  it.each([
    [t("09:00:00"), t("09:00:00"), false],
    [t("09:00:00"), t("09:00:01"), true],
    [null, t("09:00:01"), false],
    [t("09:00:01"), t("09:00:00"), false],
  ])("made against %s, the CRM at %s → changed there: %s", (baseline, current, expected) => {
    expect(changedInCrm(baseline, current)).toBe(expected);
  });
  it("merges queued changes field by field, the latest value of each, against the earliest stamp", () => {
    expect(mergeDealChanges([{ stage: "negotiation" }, { closeAt: "2026-12-20T00:00:00.000Z" }, { stage: "won", amountCents: 500 }])).toEqual({ stage: "won", amountCents: 500, closeAt: "2026-12-20T00:00:00.000Z" });
    expect(earliestBaseline([null, t("10:00:00"), t("09:00:00")])).toEqual(t("09:00:00"));
    expect(earliestBaseline([null, null])).toBeNull();
  });
});

describe("a deal's fields for the CRM", () => {
  const zone = "America/New_York";
  const created = new Date("2026-11-03T15:00:00Z");
  it.each([
    [{ expectedCloseAt: new Date("2027-01-15T05:00:00Z"), wonAt: null, lostAt: null }, 1, "2027-01-15"],
    [{ expectedCloseAt: null, wonAt: new Date("2026-12-08T03:00:00Z"), lostAt: null }, 1, "2026-12-07"],
    [{ expectedCloseAt: null, wonAt: null, lostAt: null }, 1, "2026-12-31"],
    // Fiscal year from February: Nov–Jan is a quarter.
    [{ expectedCloseAt: null, wonAt: null, lostAt: null }, 2, "2027-01-31"],
  ])("%j (fiscal year from month %i) closes %s", (dates, fiscal, expected) => {
    expect(crmCloseDate({ ...dates, createdAt: created }, zone, fiscal)).toBe(expected);
  });
  it("names an untitled deal by account and day; ids are stored with the CRM's prefix", () => {
    expect(opportunityName({ title: null, createdAt: created }, "Acme", zone)).toBe("Acme – 2026-11-03");
    expect(opportunityName({ title: "Acme renewal", createdAt: created }, "Acme", zone)).toBe("Acme renewal");
    expect(pushKey("T0ABC", "followUp", 12)).toBe("T0ABC-followUp-12");
    expect(crmIdOf("sf:00T5g0000000001", "sf")).toBe("00T5g0000000001");
    expect(crmIdOf("hs:123", "sf")).toBeNull();
    expect(crmIdOf(null, "sf")).toBeNull();
  });
  it("takes the CRM's values back: won keeps its date once won, unmapped stages are not taken", () => {
    const v = { stage: "Closed Won", amountCents: 4_200_000, closeDate: "2026-12-08", modifiedAt: new Date("2026-12-08T20:00:00Z") };
    expect(dealFromCrm(v, SEVERAL, zone)).toMatchObject({ stage: "won", status: "won", wonAt: new Date("2026-12-08T05:00:00Z"), amountCents: 4_200_000 });
    const wasWon = new Date("2026-12-01T12:00:00Z");
    expect(dealFromCrm(v, SEVERAL, zone, { status: "won", wonAt: wasWon, lostAt: null }).wonAt).toEqual(wasWon);
    expect(dealFromCrm({ ...v, stage: "Verbal Yes" }, SEVERAL, zone)).toEqual({ amountCents: 4_200_000, expectedCloseAt: new Date("2026-12-08T05:00:00Z"), unmapped: "Verbal Yes" });
  });
});
