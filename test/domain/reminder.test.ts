import { describe, expect, it } from "vitest";
import { buildReminder, isReminderEmpty, quotaGapOf, type ReminderAccount, type ReminderFollowUpInput, type ReminderInput } from "../../src/domain/reminder.js";
import { DEFAULT_NEGLECT_THRESHOLDS } from "../../src/domain/neglect.js";
import { periodForLocalDate } from "../../src/domain/periods.js";
import { quotaProgress } from "../../src/domain/quota.js";
import { validateReminderSettings, type ReminderSettingsInput } from "../../src/domain/reminder-settings.js";

const NOW = new Date("2026-11-02T14:00:00Z"); // Monday 09:00 in New York
const ZONE = "America/New_York";
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

function account(id: number, o: Partial<ReminderAccount> = {}): ReminderAccount {
  return {
    id: String(id),
    accountId: id,
    name: `Account ${id}`,
    tier: "standard",
    annualValueCents: 0,
    createdAt: daysAgo(400),
    lastTouchAt: daysAgo(1),
    snoozedUntil: null,
    archived: false,
    ...o,
  };
}

function followUp(id: number, dueAt: Date, o: Partial<ReminderFollowUpInput> = {}): ReminderFollowUpInput {
  return { id, title: `Follow-up ${id}`, accountId: 1, accountName: "Acme", dueAt, snoozedUntil: null, ...o };
}

function input(o: Partial<ReminderInput> = {}): ReminderInput {
  return { now: NOW, zone: ZONE, accounts: [], thresholds: DEFAULT_NEGLECT_THRESHOLDS, followUps: [], quota: null, ...o };
}

const quarter = periodForLocalDate("quarter", "2026-11-02", ZONE, 1);
function progress(quotaCents: number, wonCents: number) {
  return { progress: quotaProgress({ quotaCents, wonCents, period: quarter, now: NOW, zone: ZONE, paceMode: "business" }), period: quarter };
}

describe("buildDigest", () => {
  it("is empty when nothing is neglected, no quota gap and nothing due", () => {
    const view = buildReminder(input({ accounts: [account(1)], followUps: [followUp(1, new Date("2026-11-03T05:00:00Z"))] }));
    expect(isReminderEmpty(view)).toBe(true);
    expect(view.localDate).toBe("2026-11-02");
  });

  it("shows the top 5 neglected accounts, most urgent first, and counts the rest", () => {
    const accounts = [
      account(1, { tier: "key", lastTouchAt: daysAgo(8), annualValueCents: 10_000_000 }),
      account(2, { tier: "key", lastTouchAt: daysAgo(6) }),
      account(3, { lastTouchAt: null, createdAt: daysAgo(45) }),
      account(4, { tier: "growth", lastTouchAt: daysAgo(30), annualValueCents: 50_000_000 }),
      account(5, { lastTouchAt: daysAgo(31) }),
      account(6, { lastTouchAt: daysAgo(32) }),
      account(7, { lastTouchAt: daysAgo(33) }),
      account(8, { lastTouchAt: daysAgo(34), snoozedUntil: new Date(NOW.getTime() + DAY) }),
      account(9, { lastTouchAt: daysAgo(35), archived: true }),
    ];
    const view = buildReminder(input({ accounts }));
    expect(view.neglected.rows.map((r) => r.accountId)).toEqual([4, 1, 3, 7, 6]);
    expect(view.neglected.restCount).toBe(1);
    expect(view.neglected.rows.find((r) => r.accountId === 3)).toMatchObject({ neverTouched: true, daysSinceTouch: 45, thresholdDays: 30 });
  });

  it("lists follow-ups overdue (oldest first) then due today, hides future and snoozed ones", () => {
    const today = new Date("2026-11-02T05:00:00Z");
    const view = buildReminder(
      input({
        followUps: [
          followUp(1, today),
          followUp(2, new Date("2026-10-30T04:00:00Z")),
          followUp(3, new Date("2026-10-31T04:00:00Z")),
          followUp(4, new Date("2026-11-03T05:00:00Z")),
          followUp(5, today, { snoozedUntil: new Date("2026-11-03T05:00:00Z") }),
          followUp(6, today, { snoozedUntil: new Date("2026-11-02T05:00:00Z") }),
        ],
      }),
    );
    expect(view.followUps.rows.map((r) => [r.id, r.daysOverdue])).toEqual([
      [2, 3],
      [3, 2],
      [1, 0],
      [6, 0],
    ]);
  });

  it("caps follow-ups and counts the rest", () => {
    const many = Array.from({ length: 14 }, (_, i) => followUp(i + 1, daysAgo(i)));
    const view = buildReminder(input({ followUps: many }));
    expect(view.followUps.rows).toHaveLength(10);
    expect(view.followUps.restCount).toBe(4);
  });

  it.each([
    ["behind pace → shown", 100_000_00, 0, true],
    ["on or ahead of pace → hidden", 100_000_00, 90_000_00, false],
    ["attained → hidden", 100_000_00, 100_000_00, false],
  ])("quota gap: %s", (_name, quota, won, shown) => {
    const view = buildReminder(input({ quota: progress(quota, won) }));
    expect(view.quotaGap !== null).toBe(shown);
    if (shown) {
      expect(view.quotaGap).toMatchObject({ period: { key: "FY2026-Q4" }, wonCents: won, effectiveQuotaCents: quota });
      expect(view.quotaGap?.behindByCents).toBeGreaterThan(0);
      expect(view.quotaGap?.neededPerRemainingDayCents).toBeGreaterThan(0);
    }
  });

  it("no quota → no quota section", () => {
    expect(quotaGapOf(null)).toBeNull();
  });
});

describe("validateReminderSettings", () => {
  const ok: ReminderSettingsInput = { time: "08:30", days: ["1", "3", "5"], language: "auto", zone: "", paused: false, skipDates: "" };

  it("accepts good settings and normalizes them", () => {
    expect(validateReminderSettings({ ...ok, zone: " europe/berlin ", language: "de", skipDates: "2026-12-31, 2026-12-24, 2026-01-01", paused: true }, "2026-11-02")).toEqual({
      ok: true,
      settings: { reminderTime: "08:30", reminderDays: [1, 3, 5], language: "de", timezoneOverride: "Europe/Berlin", paused: true, skipDates: ["2026-12-24", "2026-12-31"] },
    });
    expect(validateReminderSettings(ok, "2026-11-02")).toMatchObject({ ok: true, settings: { language: null, timezoneOverride: null } });
  });

  it.each<[string, Partial<ReminderSettingsInput>, string, string]>([
    ["no time", { time: null }, "time", "time_invalid"],
    ["bad time", { time: "25:00" }, "time", "time_invalid"],
    ["no days", { days: [] }, "days", "days_empty"],
    ["bad language", { language: "fr" }, "language", "language_invalid"],
    ["unknown zone", { zone: "Mars/Olympus" }, "zone", "zone_invalid"],
    ["bad skip date", { skipDates: "2026-12-24, 31.12.2026" }, "skipDates", "skip_dates_invalid"],
  ])("rejects %s", (_name, change, field, problem) => {
    const r = validateReminderSettings({ ...ok, ...change }, "2026-11-02");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContainEqual(expect.objectContaining({ field, problem }));
  });

  it("reports every problem at once", () => {
    const r = validateReminderSettings({ ...ok, time: null, days: [], zone: "Nowhere" }, "2026-11-02");
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(["time", "days", "zone"]);
  });
});
